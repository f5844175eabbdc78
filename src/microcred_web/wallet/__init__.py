"""The learner's wallet: passwordless accounts, verified addresses, claimed and imported
credentials, collections, share links, the holder key and presentations."""
