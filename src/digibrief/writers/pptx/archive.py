"""The deck's zip: its files with a fixed timestamp, [Content_Types].xml first and the rest by name, as
zipfile writes them; each member's compressed bytes are kept by its bytes, so a rebuild that changed a
few slides compresses only their parts.

The layout is zipfile's for a seekable stream (local headers with the sizes, no data descriptors, no
extra fields); a package zipfile would write differently (zip64 sizes, other compressions) is written
by zipfile itself.
"""

from __future__ import annotations

import struct
import zipfile
import zlib
from collections import OrderedDict
from collections.abc import Mapping

Files = Mapping[str, tuple[bytes, int]]  # name -> (bytes, zip compression)

ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)
_DOSDATE = (ZIP_EPOCH[0] - 1980) << 9 | ZIP_EPOCH[1] << 5 | ZIP_EPOCH[2]
_DOSTIME = ZIP_EPOCH[3] << 11 | ZIP_EPOCH[4] << 5 | ZIP_EPOCH[5] // 2
_VERSION = 20  # zipfile's DEFAULT_VERSION: what it writes for stored and deflated members
_ATTR = 0o600 << 16  # what zipfile gives a member whose external_attr is 0
_UTF8 = 0x800  # flag: the name is UTF-8
_LIMIT = (1 << 31) - 1  # zipfile's ZIP64_LIMIT
_HOW = (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)
# zipfile's records (its module constants, which typeshed does not declare)
_LOCAL, _LOCAL_SIG = "<4s2B4HL2L2H", b"PK\003\004"
_CENTRAL, _CENTRAL_SIG = "<4s4B4HL2L5H2L", b"PK\001\002"
_END, _END_SIG = "<4s4H2LH", b"PK\005\006"
_LOCAL_SIZE = struct.calcsize(_LOCAL)

# (bytes, compression) -> (crc, compressed bytes); the newest last, at most KEEP_BYTES of both
_PACKED: OrderedDict[tuple[bytes, int], tuple[int, bytes]] = OrderedDict()
_KEPT = [0]
KEEP_BYTES = 32_000_000


def _packed(data: bytes, how: int) -> tuple[int, bytes]:
    """data's CRC and its bytes as zipfile stores them (deflated in one call at the default level)."""
    key = (data, how)
    kept = _PACKED.get(key)
    if kept is not None:
        _PACKED.move_to_end(key)
        return kept
    if how == zipfile.ZIP_DEFLATED:
        c = zlib.compressobj(zlib.Z_DEFAULT_COMPRESSION, zlib.DEFLATED, -15)
        body = c.compress(data) + c.flush()
    else:
        body = data
    kept = _PACKED[key] = zlib.crc32(data), body
    _KEPT[0] += len(data) + len(body)
    while _KEPT[0] > KEEP_BYTES and len(_PACKED) > 1:
        (old, _), (_, old_body) = _PACKED.popitem(last=False)
        _KEPT[0] -= len(old) + len(old_body)
    return kept


def forget() -> None:
    """Drop the kept compressed members, as a new process has none."""
    _PACKED.clear()
    _KEPT[0] = 0


def order(files: Files) -> list[str]:
    return sorted(files, key=lambda n: (n != "[Content_Types].xml", n))


def stable_zip(files: Files) -> bytes:
    """The files zipped with a fixed timestamp, [Content_Types].xml first, the rest by name."""
    names = order(files)
    if len(names) >= 0xFFFF or any(
        how not in _HOW or len(data) * 1.05 > _LIMIT or "\0" in name for name, (data, how) in files.items()
    ):
        return zipfile_zip(files)
    out: list[bytes] = []
    central: list[bytes] = []
    offset = 0
    for name in names:
        data, how = files[name]
        crc, body = _packed(data, how)
        try:
            encoded, flags = name.encode("ascii"), 0
        except UnicodeEncodeError:
            encoded, flags = name.encode("utf-8"), _UTF8
        if offset > _LIMIT:
            return zipfile_zip(files)
        # the fields the local header and the central directory's entry share, in the same order
        shared = (flags, how, _DOSTIME, _DOSDATE, crc, len(body), len(data), len(encoded))
        out.append(struct.pack(_LOCAL, _LOCAL_SIG, _VERSION, 0, *shared, 0))
        out.append(encoded)
        out.append(body)
        central.append(
            struct.pack(_CENTRAL, _CENTRAL_SIG, _VERSION, 0, _VERSION, 0, *shared, 0, 0, 0, 0, _ATTR, offset)
        )
        central.append(encoded)
        offset += _LOCAL_SIZE + len(encoded) + len(body)
    directory = b"".join(central)
    if offset > _LIMIT or len(directory) > _LIMIT:
        return zipfile_zip(files)
    end = struct.pack(
        _END,
        _END_SIG,
        0,
        0,
        len(names),
        len(names),
        len(directory),
        offset,
        0,
    )
    return b"".join(out) + directory + end


def zipfile_zip(files: Files) -> bytes:
    """The same zip written by zipfile, member by member."""
    from io import BytesIO

    out = BytesIO()
    with zipfile.ZipFile(out, "w") as dst:
        for name in order(files):
            data, compress_type = files[name]
            info = zipfile.ZipInfo(name, date_time=ZIP_EPOCH)
            info.compress_type = compress_type
            info.create_system = 0
            info.external_attr = 0
            dst.writestr(info, data)
    return out.getvalue()
