"""Reading the corpora: column mappings, missing labels, noise, duplicates, decisions."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from moderation.contracts import LABELS
from moderation.training.corpora import SOURCES, load_corpus, load_decisions

CYBER = next(s for s in SOURCES if s.name == "cyberagressionado_fr")
TRANSLATED = next(s for s in SOURCES if s.name == "jigsaw_translated_fr")


def _write(root: Path, folder: str, name: str, text: str) -> None:
    (root / folder).mkdir(parents=True, exist_ok=True)
    (root / folder / name).write_text(text, encoding="utf-8")


def test_cyberagression_maps_to_four_labels_and_leaves_the_rest_missing(tmp_path: Path) -> None:
    _write(
        tmp_path,
        CYBER.name,
        CYBER.file,
        "ID,TEXT,HATE_SPEECH,VERBAL_ABUSE\n"
        "0,t'es qu'un bouffon,no,name_calling\n"
        "1,je vais te frapper,no,threat\n"
        "2,salut,no,none\n"
        "3,sale race,yes,aggression-other\n"
        "4,salut,no,none\n",
    )
    corpus = load_corpus(tmp_path, (CYBER,))
    assert len(corpus) == 4  # the repeated 'salut' is dropped
    col = {label: corpus.y[:, LABELS.index(label)] for label in LABELS}
    assert col["insult"].tolist() == [1, 0, 0, 0]
    assert col["threat"].tolist() == [0, 1, 0, 0]
    assert col["toxicity"].tolist() == [1, 1, 0, 1]
    assert col["identity_attack"].tolist() == [0, 0, 0, 1]
    assert np.isnan(col["spam"]).all() and np.isnan(col["obscene"]).all()


def test_translator_refusals_are_not_data(tmp_path: Path) -> None:
    _write(
        tmp_path,
        TRANSLATED.name,
        TRANSLATED.file,
        "msg_id,original_text,toxic,severe_toxic,obscene,threat,insult,identity_hate,content\n"
        'a,x,1,0,0,0,0,0,"Désolé, je ne peux pas vous aider avec ça."\n'
        'b,y,1,0,1,0,1,0,"D\'accord, voici la traduction : va te faire voir"\n'
        "c,z,0,0,0,0,0,0,Merci &amp; bravo\n",
    )
    corpus = load_corpus(tmp_path, (TRANSLATED,))
    assert corpus.texts == ["va te faire voir", "Merci & bravo"]
    assert corpus.groups == ["id:b", "id:c"]


def test_decisions_are_one_more_source(tmp_path: Path) -> None:
    path = tmp_path / "decisions.jsonl"
    rows = [
        {"id": "s/1", "text": "connard", "language": "fr", "labels": {"toxicity": 1}},
        {"id": "s/2", "text": "merci", "language": "fr", "labels": {"spam": 0}, "spot_check": True},
    ]
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    corpus = load_decisions(path)
    assert corpus.sources.tolist() == ["decisions", "decisions_spot_checks"]
    assert corpus.y[0, LABELS.index("toxicity")] == 1
    assert np.isnan(corpus.y[0, LABELS.index("spam")])
