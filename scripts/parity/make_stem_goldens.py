#!/usr/bin/python3
"""Writes the stem-job goldens: upstream ACE-Step v1.5's own prompt and conditioning code for lego, extract and
complete (and a repaint beside them), run on small inputs, its outputs saved as Goldens/stem-jobs.json.

Usage (Debian 12: apt-get install python3-torch; no PyPI package needed):

    ACESTEP_UPSTREAM=/path/to/ACE-Step-1.5 /usr/bin/python3 scripts/parity/make_stem_goldens.py [OUT_DIR]

It reuses make_goldens.py's stand-ins for the packages upstream imports but these stages do not run. Per case it
runs upstream's generate_instruction (acestep/core/generation/handler/task_utils.py), SFT_GEN_PROMPT with
_format_instruction and _dict_to_meta_string(_build_metadata_dict(...)) (constants.py, prompt_utils.py,
metadata_utils.py), and _build_chunk_masks_and_src_latents (conditioning_masks.py) on random target and silence
latents with explicit chunk masks; it records the instruction, the caption prompt, the chunk mask, the is_cover
flag, and for every latent frame whether the context upstream built holds the source ("S") or silence ("Z").
Upstream is read, never copied. See docs/parity.md.
"""

import hashlib
import json
import os
import sys

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)
import make_goldens as mg  # noqa: E402

SOURCE_SECONDS = 8.0  # 384 000 samples, 200 latent frames: above the 128-frame minimum, so no padding frames
FRAMES = 200
CAPTION = "gritty garage rock with a driving beat"
BPM, KEY, TIME_SIGNATURE = 120, "E minor", "4"

# name, upstream task_type, track_name, complete_track_classes, repainting (start, end) in seconds or None
CASES = [
    ("lego-drums-span", "lego", "drums", None, (2.0, 4.4)),
    ("lego-guitar-whole", "lego", "guitar", None, (0.0, SOURCE_SECONDS)),
    ("extract-vocals", "extract", "vocals", None, None),
    ("extract-backing-vocals", "extract", "backing_vocals", None, None),
    ("complete-drums-bass", "complete", None, ["drums", "bass"], None),
    ("complete-default", "complete", None, None, None),
    ("repaint-span", "repaint", None, None, (2.0, 4.4)),
]


def main():
    upstream = os.environ.get("ACESTEP_UPSTREAM")
    if not upstream or not os.path.isdir(os.path.join(upstream, "acestep")):
        sys.exit("Set ACESTEP_UPSTREAM to a checkout of github.com/ace-step/ACE-Step-1.5 (latest layout).")
    mg.UPSTREAM = upstream
    out_dir = sys.argv[1] if len(sys.argv) > 1 else os.path.join(REPO, "tests", "AceStep.Engine.Parity.Tests", "Goldens")
    mg.install_stand_ins()
    sys.path.insert(0, upstream)
    constants = mg.load_module("acestep/constants.py", "acestep.constants")
    metadata = mg.load_module("acestep/core/generation/handler/metadata_utils.py", "golden_metadata_utils")
    prompts = mg.load_module("acestep/core/generation/handler/prompt_utils.py", "golden_prompt_utils")
    tasks = mg.load_module("acestep/core/generation/handler/task_utils.py", "golden_task_utils")
    masks = mg.load_module("acestep/core/generation/handler/conditioning_masks.py", "golden_conditioning_masks")
    host_type = type("Host", (metadata.MetadataMixin, prompts.PromptMixin, tasks.TaskUtilsMixin, masks.ConditioningMaskMixin), {})
    host = host_type()
    host.device = torch.device("cpu")
    host.sample_rate = 48000

    generator = torch.Generator().manual_seed(21)
    target_latents = torch.randn(1, FRAMES, 64, generator=generator)
    silence = torch.randn(FRAMES, 64, generator=generator)
    target_wavs = torch.full((1, 2, int(SOURCE_SECONDS * 48000)), 0.25)

    metas = host._dict_to_meta_string(host._build_metadata_dict(BPM, KEY, TIME_SIGNATURE, SOURCE_SECONDS))
    results = []
    for name, task_type, track, classes, span in CASES:
        instruction = host.generate_instruction(task_type, track, classes)
        chunk_masks, _spans, is_covers, src_latents, _repaint_mask = host._build_chunk_masks_and_src_latents(
            batch_size=1, max_latent_length=FRAMES, instructions=[instruction], audio_code_hints=[None],
            target_wavs=target_wavs, target_latents=target_latents,
            repainting_start=[span[0]] if span else None, repainting_end=[span[1]] if span else None,
            silence_latent_tiled=silence, chunk_mask_modes=None, task_type=task_type)
        context = "".join(
            "S" if torch.equal(src_latents[0, f], target_latents[0, f]) else "Z" if torch.equal(src_latents[0, f], silence[f]) else "?"
            for f in range(FRAMES))
        results.append({
            "name": name,
            "task_type": task_type,
            "track_name": track,
            "track_classes": classes,
            "repainting": list(span) if span else None,
            "instruction": instruction,
            "caption": constants.SFT_GEN_PROMPT.format(host._format_instruction(instruction), CAPTION, metas),
            "chunk_mask": [int(v) for v in chunk_masks[0].to(torch.int64).tolist()],
            "is_cover": bool(is_covers[0]),
            "context": context,
        })

    document = {
        "generator": "scripts/parity/make_stem_goldens.py",
        "upstream": {"repository": "github.com/ace-step/ACE-Step-1.5", "commit": mg.git_head()},
        "torch": torch.__version__,
        "source_seconds": SOURCE_SECONDS,
        "frames": FRAMES,
        "caption": CAPTION,
        "bpm": BPM,
        "key_scale": KEY,
        "time_signature": int(TIME_SIGNATURE),
        "track_names": list(constants.TRACK_NAMES),
        "cases": results,
    }
    path = os.path.join(out_dir, "stem-jobs.json")
    with open(path, "w", encoding="utf-8") as f:
        json.dump(document, f, indent=1, ensure_ascii=False)
        f.write("\n")
    print(f"wrote {len(results)} stem cases to {path} (sha256 {hashlib.sha256(open(path, 'rb').read()).hexdigest()})")


if __name__ == "__main__":
    main()
