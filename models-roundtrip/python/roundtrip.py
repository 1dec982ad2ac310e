"""Round trip through the generated Python models (generated/models/python/converseiq_models.py).

Reads [{"schema": "ContactPage", "body": {...}}, ...] on stdin; for each, parses the body with
`<schema>.from_dict`, writes it back with `to_dict`, and prints the list of results as JSON on stdout.
Usage: python3 roundtrip.py <folder of converseiq_models.py>
"""
import json
import sys

sys.path.insert(0, sys.argv[1])
import converseiq_models as models  # noqa: E402

cases = json.load(sys.stdin)
out = [getattr(models, case["schema"]).from_dict(case["body"]).to_dict() for case in cases]
json.dump(out, sys.stdout)
