"""Independent computation of the values image_test.go pins.

A second implementation of the byte layouts package image writes, in
Python (CPython 3.11, the `cryptography` package for AES-CTR), from the
specifications rather than from the Go code: docker/distribution writes
manifests with json.MarshalIndent(v, "", "   "), which Python's
json.dumps(v, indent=3) reproduces for ASCII text; configs are compact
JSON with keys in the order given below. Run:

    /usr/bin/python3 testdata/independent.py

and compare with the want values in image_test.go.
"""
import hashlib
import json

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json"
DOCKER_LIST = "application/vnd.docker.distribution.manifest.list.v2+json"
DOCKER_CONFIG = "application/vnd.docker.container.image.v1+json"
DOCKER_LAYER = "application/vnd.docker.image.rootfs.diff.tar.gzip"
OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json"
OCI_INDEX = "application/vnd.oci.image.index.v1+json"
OCI_CONFIG = "application/vnd.oci.image.config.v1+json"
OCI_LAYER = "application/vnd.oci.image.layer.v1.tar+gzip"
EPOCH = "1970-01-01T00:00:00Z"


def filler(seed, n):
    enc = Cipher(algorithms.AES(hashlib.sha256(seed.encode()).digest()), modes.CTR(b"\0" * 16)).encryptor()
    return enc.update(b"\0" * n)


def digest(b):
    return "sha256:" + hashlib.sha256(b).hexdigest()


def desc(oci, media_type, d, size, platform=None, annotations=None):
    out = {"mediaType": media_type}
    if oci:
        out["digest"] = d
        out["size"] = size
        if annotations:
            out["annotations"] = dict(sorted(annotations.items()))
    else:
        out["size"] = size
        out["digest"] = d
    if platform:
        out["platform"] = platform
    return out


def config(arch, os_, history, diff_ids, created=EPOCH, author=None, cmd=None, env=None, labels=None, variant=None):
    c = {"architecture": arch}
    if author:
        c["author"] = author
    cc = {}
    if cmd:
        cc["Cmd"] = cmd
    if env:
        cc["Env"] = env
    if labels:
        cc["Labels"] = dict(sorted(labels.items()))
    c["config"] = cc
    c["created"] = created
    c["history"] = history
    c["os"] = os_
    c["rootfs"] = {"type": "layers", "diff_ids": diff_ids}
    if variant:
        c["variant"] = variant
    return json.dumps(c, separators=(",", ":")).encode()


def add_history(d, created=EPOCH):
    return {"created": created, "created_by": "/bin/sh -c #(nop) ADD file:%s in / " % d[len("sha256:"):]}


def manifest(oci, cfg, layers, annotations=None):
    m = {
        "schemaVersion": 2,
        "mediaType": OCI_MANIFEST if oci else DOCKER_MANIFEST,
        "config": desc(oci, OCI_CONFIG if oci else DOCKER_CONFIG, digest(cfg), len(cfg)),
        "layers": layers,
    }
    if annotations:
        m["annotations"] = dict(sorted(annotations.items()))
    return json.dumps(m, indent=3).encode()


def show(name, b):
    print("==", name, digest(b), len(b))
    print(b.decode())


# Filler prefixes and digests.
print("filler base[:48]", filler("base", 48).hex())
for seed, n in [("", 0), ("", 1), ("base", 16), ("base", 17), ("base", 100), ("big", 1 << 20)]:
    print("filler", repr(seed), n, digest(filler(seed, n)))

# Case docker-simple: one generated layer, labels.
l1 = filler("base", 100)
cfg = config("amd64", "linux", [add_history(digest(l1))], [digest(l1)], labels={"foo": "bar", "com.example.a": "1"})
show("docker-simple config", cfg)
show("docker-simple manifest", manifest(False, cfg, [desc(False, DOCKER_LAYER, digest(l1), 100)]))

# Case oci-full: data layer + generated layer, explicit history with an empty step,
# cmd/env/author/created with nanoseconds, arm64 v8, manifest and layer annotations.
d1 = b"hello, layer"
l2 = filler("app", 33)
created = "2024-05-06T07:08:09.123456789Z"
hist = [
    {"created": "2024-01-02T03:04:05Z", "created_by": "ADD rootfs.tar /", "author": "alice", "comment": "base"},
    {"created": created, "created_by": "ENV A=1", "empty_layer": True},
    {"created": created, "created_by": "COPY app /app"},
]
cfg = config("arm64", "linux", hist, [digest(d1), "sha256:" + "ab" * 32], created=created, author="alice",
             cmd=["/app"], env=["A=1", "PATH=/bin"], variant="v8")
show("oci-full config", cfg)
show("oci-full manifest", manifest(True, cfg, [
    desc(True, OCI_LAYER, digest(d1), len(d1)),
    desc(True, "application/vnd.oci.image.layer.v1.tar", digest(l2), 33, annotations={"org.example.layer": "app"}),
], annotations={"org.opencontainers.image.title": "x"}))

# Case empty: no layers at all.
cfg = config("amd64", "linux", [], [])
show("empty config", cfg)
show("empty manifest", manifest(False, cfg, []))

# Case docker-list: two platforms sharing the base layer.
def child(oci, arch, seed, size, variant=None):
    base = filler("base", 100)
    top = filler(seed, size)
    c = config(arch, "linux", [add_history(digest(base)), add_history(digest(top))], [digest(base), digest(top)], variant=variant)
    lt = OCI_LAYER if oci else DOCKER_LAYER
    return manifest(oci, c, [desc(oci, lt, digest(base), 100), desc(oci, lt, digest(top), size)])

amd = child(False, "amd64", "m1", 40)
arm = child(False, "arm64", "m2", 60, variant="v8")
show("docker-list child amd64", amd)
show("docker-list child arm64", arm)
lst = json.dumps({"schemaVersion": 2, "mediaType": DOCKER_LIST, "manifests": [
    desc(False, DOCKER_MANIFEST, digest(amd), len(amd), platform={"architecture": "amd64", "os": "linux"}),
    desc(False, DOCKER_MANIFEST, digest(arm), len(arm), platform={"architecture": "arm64", "os": "linux", "variant": "v8"}),
]}, indent=3).encode()
show("docker-list list", lst)

# Case oci-index with annotations.
amd = child(True, "amd64", "m1", 40)
arm = child(True, "arm64", "m2", 60, variant="v8")
idx = json.dumps({"schemaVersion": 2, "mediaType": OCI_INDEX, "manifests": [
    desc(True, OCI_MANIFEST, digest(amd), len(amd), platform={"architecture": "amd64", "os": "linux"}),
    desc(True, OCI_MANIFEST, digest(arm), len(arm), platform={"architecture": "arm64", "os": "linux", "variant": "v8"}),
], "annotations": {"org.opencontainers.image.ref.name": "v1"}}, indent=3).encode()
show("oci-index child amd64", amd)
show("oci-index child arm64", arm)
show("oci-index index", idx)
