"""The labelled corpus: a small fake shop whose blocking lines end in `# expect: CODE`.

The checker must report exactly the labelled (file, line, code) triples: no more, no less.
"""

from __future__ import annotations

import re
from pathlib import Path

from migrator.blocking import analyze_paths
from migrator.check_config import CheckConfig

CORPUS = Path(__file__).parent / "corpus" / "cases"
_EXPECT = re.compile(r"#\s*expect:\s*(?P<codes>[A-Z0-9, ]+)$")

Label = tuple[str, int, str]


def expected_labels(root: Path) -> set[Label]:
    """Every `# expect: CODE[, CODE]` comment under `root`, as (file, line, code)."""
    labels: set[Label] = set()
    for path in sorted(root.rglob("*.py")):
        relative = path.relative_to(root).as_posix()
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            match = _EXPECT.search(line)
            if match:
                for code in re.split(r"[,\s]+", match.group("codes").strip()):
                    labels.add((relative, number, code))
    return labels


def found_labels(root: Path) -> set[Label]:
    analysis = analyze_paths([root], CheckConfig())
    assert analysis.errors == []
    return {(f.file, f.line, f.code) for f in analysis.findings()}


def test_reports_exactly_the_labelled_lines() -> None:
    expected = expected_labels(CORPUS)
    found = found_labels(CORPUS)
    assert sorted(found - expected) == [], "reported but not labelled (false positives)"
    assert sorted(expected - found) == [], "labelled but not reported (false negatives)"


def test_corpus_covers_every_category() -> None:
    categories = {code[:4] for _, _, code in expected_labels(CORPUS)}
    assert categories == {f"BLK{n}" for n in (1, 2, 3, 4, 5, 6, 7, 9)}


def test_lookalike_module_is_clean() -> None:
    assert not [label for label in found_labels(CORPUS) if label[0] == "shop/lookalikes.py"]


def test_result_does_not_depend_on_which_path_is_named_first() -> None:
    config = CheckConfig()
    shop, scripts = CORPUS / "shop", CORPUS / "scripts"
    forward = analyze_paths([shop, scripts], config, relative_to=CORPUS).findings()
    backward = analyze_paths([scripts, shop], config, relative_to=CORPUS).findings()
    assert forward == backward
