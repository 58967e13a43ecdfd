#!/usr/bin/env python3
"""Writes tests/fixtures/pdf/images/: the test picture of tests/pdf_images.rs (100 x 40,
grey 200 everywhere) encoded by another producer than declass, as a PDF filter holds it:
`picture.j2k` a JPEG 2000 codestream (lossless, RGB) for JPXDecode; `picture.g4` the
raw CCITT Group 4 data of its bi-level twin (white, with a black frame one pixel wide)
for CCITTFaxDecode with K -1. Needs Pillow (with OpenJPEG and libtiff, as its wheels have).

    scripts/make_image_fixtures.py tests/fixtures/pdf/images
"""
import io
import os
import sys

from PIL import Image, TiffImagePlugin

out = sys.argv[1] if len(sys.argv) > 1 else "tests/fixtures/pdf/images"
os.makedirs(out, exist_ok=True)

grey = Image.new("RGB", (100, 40), (200, 200, 200))
grey.save(os.path.join(out, "picture.j2k"), format="JPEG2000", irreversible=False)

mono = Image.new("1", (100, 40), 1)
for x in range(100):
    mono.putpixel((x, 0), 0)
    mono.putpixel((x, 39), 0)
for y in range(40):
    mono.putpixel((0, y), 0)
    mono.putpixel((99, y), 0)
buf = io.BytesIO()
TiffImagePlugin.WRITE_LIBTIFF = True
mono.save(buf, format="TIFF", compression="group4", rowsperstrip=40)
tiff = Image.open(io.BytesIO(buf.getvalue()))
offset = tiff.tag_v2[273][0]
length = tiff.tag_v2[279][0]
with open(os.path.join(out, "picture.g4"), "wb") as f:
    f.write(buf.getvalue()[offset:offset + length])
