"""Makes a directory for ONNX Runtime Java's -Donnxruntime.native.path from another libonnxruntime.so (e.g. the one
the onnxruntime Python wheel ships) and the JNI glue of the onnxruntime jar Loupe bundles. Nothing is downloaded.

    ort_native_dir.py OUT_DIR LIBONNXRUNTIME_SO [ONNXRUNTIME_JAR]
    # e.g. tools/.venv/bin/python bench/models/ort_native_dir.py /tmp/ort130 \
    #        tools/.venv/lib/python3.11/site-packages/onnxruntime/capi/libonnxruntime.so.1.30.0
    # then: java -Donnxruntime.native.path=/tmp/ort130 ...   (or LOUPE_JAVA_OPTS for ./loupe)

The JNI glue (libonnxruntime4j_jni.so) imports OrtGetApiBase with the ELF symbol version of the runtime it was
built with (VERS_1.29.0 for the 1.29.0 jar); each libonnxruntime.so defines only its own (VERS_1.30.0), so the
dynamic linker refuses the pair ("version `VERS_1.29.0' not found"). The C API itself is versioned at run time
(OrtGetApiBase()->GetApi(N) with N <= the runtime's API level is supported by newer runtimes), so this script
rewrites the one version-needed entry (name and ELF hash) of a copy of the JNI glue to the runtime's version.
It writes OUT_DIR/libonnxruntime4j_jni.so (patched copy) and OUT_DIR/libonnxruntime.so (symlink). Not for
commit: a local experiment, outputs are binaries. Python standard library only.
"""
import glob
import os
import re
import sys
import zipfile


def elf_hash(name: bytes) -> int:
    h = 0
    for c in name:
        h = ((h << 4) + c) & 0xFFFFFFFF
        g = h & 0xF0000000
        if g:
            h ^= g >> 24
        h &= ~g & 0xFFFFFFFF
    return h


def vers(blob: bytes) -> bytes:
    m = re.search(rb"VERS_\d+\.\d+\.\d+", blob[: 1 << 20])
    if not m:
        raise SystemExit("no VERS_x.y.z symbol version found")
    return m.group(0)


def main():
    out, lib = sys.argv[1], os.path.abspath(sys.argv[2])
    jar = sys.argv[3] if len(sys.argv) > 3 else sorted(glob.glob(os.path.expanduser(
        "~/.m2/repository/com/microsoft/onnxruntime/onnxruntime/1.29.0/onnxruntime-1.29.0.jar")))[-1]
    with open(lib, "rb") as f:
        new = vers(f.read(1 << 20))
    with zipfile.ZipFile(jar) as z:
        jni = bytearray(z.read("ai/onnxruntime/native/linux-x64/libonnxruntime4j_jni.so"))
    old = vers(bytes(jni))
    if old != new:
        assert len(old) == len(new), (old, new)
        assert jni.count(old + b"\0") == 1, "expected one version-needed string"
        ho, hn = elf_hash(old).to_bytes(4, "little"), elf_hash(new).to_bytes(4, "little")
        assert jni.count(ho) == 1, "expected one vna_hash"
        jni = jni.replace(old + b"\0", new + b"\0").replace(ho, hn)
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, "libonnxruntime4j_jni.so"), "wb") as f:
        f.write(jni)
    link = os.path.join(out, "libonnxruntime.so")
    if os.path.lexists(link):
        os.remove(link)
    os.symlink(lib, link)
    print(f"{out}: JNI from {os.path.basename(jar)} ({old.decode()} -> {new.decode()}), libonnxruntime.so -> {lib}")


if __name__ == "__main__":
    main()
