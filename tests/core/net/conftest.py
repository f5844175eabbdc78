"""A throw-away CA and a config that trusts it and lets foreign.test reach 127.0.0.1."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from microcred.net.addresses import AddressPolicy, parse_networks
from microcred.net.https import FetchConfig
from tests.https_servers import Authority, make_authority, resolver_for

NAME = "foreign.test"


@pytest.fixture(scope="session")
def authority(tmp_path_factory: pytest.TempPathFactory) -> Authority:
    return make_authority(Path(tmp_path_factory.mktemp("pki")))


@pytest.fixture
def config(authority: Authority) -> FetchConfig:
    return FetchConfig(
        connect_timeout=1.0,
        read_timeout=1.0,
        deadline=1.5,
        max_bytes=64 * 1024,
        ca_file=authority.ca_file,
        policy=AddressPolicy(parse_networks(["127.0.0.0/8"])),
        resolver=resolver_for({NAME: ["127.0.0.1"], "other.test": ["127.0.0.1"]}),
    )


def with_dns(config: FetchConfig, **names: list[str]) -> FetchConfig:
    table = {NAME: ["127.0.0.1"], **{k.replace("_", "."): v for k, v in names.items()}}
    return replace(config, resolver=resolver_for(table))
