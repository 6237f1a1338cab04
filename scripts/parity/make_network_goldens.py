#!/usr/bin/python3
"""Writes the network-stage parity goldens: upstream's model classes (ACE-Step's DiT, condition encoder, audio
tokenizer and detokenizer; vector-quantize-pytorch's ResidualFSQ; transformers' Qwen3Model and Qwen3ForCausalLM;
diffusers' AutoencoderOobleck, tiled by upstream's handler) run on small random-weight checkpoints in the official layouts, their inputs and
outputs saved as test data.

Usage (Debian 12's python3-torch; no PyPI package):

    ACESTEP_UPSTREAM=/path/to/ACE-Step-1.5 ACESTEP_QWEN3_SOURCE=/path/to/modeling_qwen3.py \
    ACESTEP_OOBLECK_SOURCE=/path/to/autoencoder_oobleck.py ACESTEP_RANDN_SOURCE=/path/to/diffusers/torch_utils.py \
    ACESTEP_VQ_ROOT=/path/holding/vector_quantize_pytorch+einops \
        /usr/bin/python3 scripts/parity/make_network_goldens.py [OUT_DIR]

(ACESTEP_*_COMMIT variables record the sources' commits in the manifest.) ACESTEP_UPSTREAM is as for
make_goldens.py. ACESTEP_QWEN3_SOURCE is transformers' src/transformers/models/qwen3/modeling_qwen3.py; it is loaded
alone as transformers.models.qwen3.modeling_qwen3, its package-relative imports answered by stand-ins (ACT2FN's "silu"
is torch's SiLU, the hub-kernel decorators and dynamic_rope_update leave what they decorate alone, maybe_autocast does
nothing on the CPU in fp32, model outputs are records of their fields), and the config offers that file's
rope_parameters view of rope_theta. Qwen3Model gets its causal mask prepared (upstream ACE-Step's create_4d_mask)
instead of building it with transformers' masking_utils. ACESTEP_OOBLECK_SOURCE and ACESTEP_VQ_ROOT are optional;
without them the VAE and audio-code stages are left out. ACESTEP_RANDN_SOURCE (diffusers' src/diffusers/utils/torch_utils.py,
whose randn_tensor alone is compiled and used by the posterior's sample()) is optional too; without it the seeded
sample is left out. The tiled VAE cases run upstream's handler mixins (acestep/core/generation/handler/vae_decode*.py,
vae_encode*.py) around diffusers' VAE with the sizes in TILED_DECODE / TILED_ENCODE, which the engine's test hands to
OobleckTiling as they are; upstream's tiled encode samples every tile, so it runs with zero noise (sample() = mean).
Every layer that runs is the packages' or upstream's own code.

Writes to OUT_DIR (default tests/AceStep.Engine.Parity.Tests/Goldens/network): checkpoint/ (the DiT model), vae/,
text-encoder/ and lm/ (config.json + weights, official names), CASE.safetensors (inputs and outputs) and
manifest.json (provenance, shapes, SHA-256, tolerances). See docs/parity.md.
"""

import contextlib
import hashlib
import importlib.util
import json
import os
import sys
import types

import torch
from torch import nn

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)
import make_goldens as goldens  # noqa: E402  (its stand-ins, loader and safetensors writer)

# The tiny configuration (toy widths; the real layer types, sliding window 128 and patch size 2).
CONFIG = {
    "model_type": "acestep",
    "hidden_size": 32,
    "intermediate_size": 64,
    "num_hidden_layers": 2,
    "num_audio_decoder_hidden_layers": 2,
    "num_attention_heads": 4,
    "num_key_value_heads": 2,
    "head_dim": 8,
    "hidden_act": "silu",
    "rms_norm_eps": 1e-6,
    "rope_theta": 1000000.0,
    "use_sliding_window": True,
    "sliding_window": 128,
    "layer_types": ["sliding_attention", "full_attention"],
    "in_channels": 192,
    "patch_size": 2,
    "audio_acoustic_hidden_dim": 64,
    "timbre_hidden_dim": 64,
    "text_hidden_dim": 24,
    "timbre_fix_frame": 750,
    "num_lyric_encoder_hidden_layers": 2,
    "num_timbre_encoder_hidden_layers": 2,
    "num_attention_pooler_hidden_layers": 2,
    "pool_window_size": 5,
    "fsq_dim": 32,
    "fsq_input_levels": [8, 8, 8, 5, 5, 5],
    "fsq_input_num_quantizers": 1,
    "is_turbo": False,
    "dtype": "float32",
}


def install_qwen3(source):
    """transformers.models.qwen3.modeling_qwen3 from its real source file; its package imports answered by stand-ins."""
    def module(name, **attrs):
        m = goldens._InertModule(name)
        m.__path__ = []
        for key, value in attrs.items():
            setattr(m, key, value)
        sys.modules[name] = m
        return m

    identity = lambda *args, **kwargs: (lambda obj: obj)
    module("transformers")
    module("transformers.models")
    module("transformers.models.qwen3")
    for inert in ("masking_utils", "cache_utils", "modeling_flash_attention_utils", "modeling_outputs", "modeling_utils",
                  "processing_utils", "modeling_attn_mask_utils", "configuration_utils"):
        sys.modules.setdefault("transformers." + inert, goldens._InertModule("transformers." + inert))
    module("transformers.activations", ACT2FN={"silu": nn.SiLU()})
    module("transformers.integrations", use_kernel_forward_from_hub=identity, use_kernel_func_from_hub=identity,
           use_kernelized_func=identity)
    module("transformers.modeling_rope_utils", ROPE_INIT_FUNCTIONS={}, dynamic_rope_update=lambda f: f,
           rope_config_validation=lambda *a, **k: None)
    module("transformers.utils", auto_docstring=lambda obj=None, **k: obj if obj is not None else (lambda o: o),
           can_return_tuple=lambda f: f, TransformersKwargs=dict, logging=goldens._Inert())
    module("transformers.utils.generic", check_model_inputs=lambda *a, **k: (a[0] if a and callable(a[0]) else (lambda f: f)),
           maybe_autocast=lambda *a, **k: contextlib.nullcontext())
    module("transformers.generation", GenerationMixin=type("GenerationMixin", (), {}))
    module("transformers.modeling_layers", GradientCheckpointingLayer=nn.Module,
           GenericForQuestionAnswering=type("GenericForQuestionAnswering", (), {}),
           GenericForSequenceClassification=type("GenericForSequenceClassification", (), {}),
           GenericForTokenClassification=type("GenericForTokenClassification", (), {}))
    module("transformers.modeling_outputs", BaseModelOutput=_ModelOutput, BaseModelOutputWithPast=_ModelOutput,
           CausalLMOutputWithPast=_ModelOutput)
    module("transformers.models.qwen3.configuration_qwen3", Qwen3Config=goldens._PretrainedConfig)
    spec = importlib.util.spec_from_file_location("transformers.models.qwen3.modeling_qwen3", source)
    qwen3 = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = qwen3
    spec.loader.exec_module(qwen3)
    return qwen3


class _ModelOutput:
    """transformers' BaseModelOutput as upstream reads it: named fields."""

    def __init__(self, **fields):
        self.__dict__.update(fields)

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        return None


class _Config(goldens._PretrainedConfig):
    """The config base upstream's AceStepConfig inherits here: eager attention, and transformers' rope_parameters view."""

    _attn_implementation = "eager"
    output_attentions = False
    output_hidden_states = False
    use_return_dict = True

    @property
    def rope_parameters(self):
        assert self.rope_scaling is None, "the tiny config has no rope scaling"
        return {"rope_type": "default", "rope_theta": self.rope_theta}


class _PreTrainedModel(goldens._PreTrainedModel):
    """The model base: post_init (transformers' weight initialisation) does nothing, every weight is drawn below."""

    def post_init(self):
        pass


def randomize(module, generator):
    """Every parameter drawn anew (norm weights around 1, the rest scaled by fan-in) so no stage sees identity weights."""
    with torch.no_grad():
        for name, p in module.named_parameters():
            if name.endswith("norm.weight") or name.endswith("norm_out.weight") or "_norm." in name or name.endswith("layernorm.weight"):
                p.copy_(1.0 + 0.2 * torch.randn(p.shape, generator=generator))
            elif p.dim() == 1:
                p.copy_(0.1 * torch.randn(p.shape, generator=generator))
            else:
                fan_in = p[0].numel() if p.dim() > 1 else p.numel()
                p.copy_(torch.randn(p.shape, generator=generator) / fan_in ** 0.5)


# The tiny VAE: the official strides (hop 1920) at toy widths, as tests/AceStep.Engine.Vae.Tests' TinyVae.
VAE_CONFIG = {
    "_class_name": "AutoencoderOobleck",
    "audio_channels": 2,
    "channel_multiples": [1, 2, 2, 2, 2],
    "decoder_channels": 4,
    "decoder_input_channels": 4,
    "downsampling_ratios": [2, 4, 4, 6, 10],
    "encoder_hidden_size": 8,
    "sampling_rate": 48000,
}


def load_oobleck(source):
    """diffusers' autoencoder_oobleck.py from its real source; its package imports answered by stand-ins."""
    from dataclasses import dataclass  # noqa: F401

    def module(name, **attrs):
        m = types.ModuleType(name)
        m.__path__ = []
        m.__dict__.update(attrs)
        sys.modules[name] = m
        return m

    module("diffusers")
    module("diffusers.models")
    module("diffusers.models.autoencoders")
    module("diffusers.configuration_utils", ConfigMixin=type("ConfigMixin", (), {}), register_to_config=lambda f: f)
    module("diffusers.utils", BaseOutput=type("BaseOutput", (), {}))
    module("diffusers.utils.accelerate_utils", apply_forward_hook=lambda f: f)
    module("diffusers.utils.torch_utils", randn_tensor=_recording(load_randn_tensor()))
    module("diffusers.models.modeling_utils", ModelMixin=nn.Module)
    module("diffusers.models.autoencoders.vae", AutoencoderMixin=type("AutoencoderMixin", (), {}))
    spec = importlib.util.spec_from_file_location("diffusers.models.autoencoders.autoencoder_oobleck", source)
    oobleck = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = oobleck
    spec.loader.exec_module(oobleck)
    return oobleck


def load_randn_tensor():
    """diffusers' randn_tensor, compiled alone from its real file (ACESTEP_RANDN_SOURCE: src/diffusers/utils/torch_utils.py,
    the posterior's sample() calls it); the module's other imports are not needed by this function."""
    import __future__
    import ast
    path = os.environ.get("ACESTEP_RANDN_SOURCE")
    if not path:
        return None
    tree = ast.parse(open(path, encoding="utf-8").read(), path)
    node = next(n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == "randn_tensor")
    scope = {"torch": torch, "logger": goldens._Logger()}
    exec(compile(ast.Module(body=[node], type_ignores=[]), path, "exec", flags=__future__.annotations.compiler_flag,
                 dont_inherit=True), scope)
    return scope["randn_tensor"]


# What the posterior's sample() draws: "real" (diffusers' randn_tensor, every draw recorded in NOISE_DRAWS) or "zero"
# (so that sample() = mean: upstream's tiled encode samples every tile; the tiled goldens compare the mean).
NOISE = {"mode": "real"}
NOISE_DRAWS = []


def _recording(randn_tensor):
    def draw(shape, generator=None, device=None, dtype=None, layout=None):
        if NOISE["mode"] == "zero":
            return torch.zeros(shape, device=device, dtype=dtype)
        assert randn_tensor is not None, "set ACESTEP_RANDN_SOURCE for the seeded posterior sample"
        noise = randn_tensor(shape, generator=generator, device=device, dtype=dtype, layout=layout)
        NOISE_DRAWS.append(noise.clone())
        return noise
    return draw


def vae_handler(upstream, vae):
    """Upstream's handler VAE mixins (tiled decode and encode, CPU branch) around the diffusers VAE."""
    gpu_config = types.ModuleType("acestep.gpu_config")
    gpu_config.get_gpu_memory_gb = lambda: 0  # only read when chunk_size is None; the goldens pass every size
    sys.modules["acestep.gpu_config"] = gpu_config
    root = "acestep/core/generation/handler/"
    mixins = [goldens.load_module(root + f + ".py", "acestep.core.generation.handler." + f)
              for f in ("vae_decode", "vae_decode_chunks", "vae_encode", "vae_encode_chunks")]
    bases = (mixins[0].VaeDecodeMixin, mixins[1].VaeDecodeChunksMixin, mixins[2].VaeEncodeMixin, mixins[3].VaeEncodeChunksMixin)
    handler = type("Handler", bases, {})()
    vae.dtype = torch.float32  # ModelMixin's dtype property (the stand-in base is nn.Module); read by tiled_encode
    handler.vae, handler.device, handler.use_mlx_vae, handler.mlx_vae, handler.disable_tqdm = vae, "cpu", False, None, True
    handler._empty_cache = lambda: None
    return handler


# Tiling sizes for the tiled goldens (the engine's OobleckTiling takes the same numbers): decode windows of 12 latent
# frames with 4 of context each side (stride 4; 4 is upstream's minimum overlap), encode windows of 8 hops with 2 hops of
# context (stride 4 hops). Both contexts are shorter than the networks' reach (9 and 7 frames), so the tiles' seams
# differ from the untiled result and the goldens check the tiling itself, not only that tiling changes nothing.
TILED_DECODE = {"chunk": 12, "overlap": 4, "frames": 13}
TILED_ENCODE = {"chunk_hops": 8, "overlap_hops": 2, "samples": 13 * 1920 + 500}
POSTERIOR_SEED = 1234


def vae_cases(source, out_dir, g, upstream=None):
    oobleck = load_oobleck(source)
    vae = oobleck.AutoencoderOobleck(**{k: v for k, v in VAE_CONFIG.items() if not k.startswith("_")}).eval()
    with torch.no_grad():
        for name, p in vae.named_parameters():
            if name.endswith(".alpha") or name.endswith(".beta"):
                p.copy_(0.3 * torch.randn(p.shape, generator=g))
            elif name.endswith("weight_g"):
                p.copy_(0.2 + 0.4 * torch.rand(p.shape, generator=g))
            else:
                p.copy_(0.3 * torch.randn(p.shape, generator=g))
    os.makedirs(os.path.join(out_dir, "vae"), exist_ok=True)
    goldens.write_safetensors(os.path.join(out_dir, "vae", "diffusion_pytorch_model.safetensors"), vae.state_dict())
    with open(os.path.join(out_dir, "vae", "config.json"), "w", encoding="utf-8") as f:
        json.dump(VAE_CONFIG, f, indent=1)
        f.write("\n")
    with torch.no_grad():
        latents = torch.randn(1, 4, 5, generator=g)
        audio = vae.decode(latents).sample
        source_audio = 0.5 * torch.randn(1, 2, 3 * 1920, generator=g)
        posterior = vae.encode(source_audio).latent_dist
    cases = {"vae-decode": {"latents": latents, "out": audio},
             "vae-encode": {"audio": source_audio, "mean": posterior.mean, "std": posterior.std}}
    if upstream is None:
        return cases
    handler = vae_handler(upstream, vae)
    with torch.no_grad():
        # Tiled decode: 13 frames in 4 windows (the last core one frame), as generate_music_decode calls tiled_decode,
        # with the sizes given (offload_wav_to_cpu=False: the CPU device keeps every chunk where it is).
        tiled_latents = torch.randn(1, 4, TILED_DECODE["frames"], generator=g)
        tiled_audio = handler.tiled_decode(tiled_latents, chunk_size=TILED_DECODE["chunk"], overlap=TILED_DECODE["overlap"],
                                           offload_wav_to_cpu=False)
        cases["vae-decode-tiled"] = {"latents": tiled_latents, "out": tiled_audio}
        # Tiled encode: 13 hops + 500 samples in 4 windows, as batch_prep calls tiled_encode (offload_latent_to_cpu=True);
        # its per-tile sample() draws zero noise here, so the result is the tiled posterior mean.
        hop = 1920
        tiled_source = 0.5 * torch.randn(1, 2, TILED_ENCODE["samples"], generator=g)
        NOISE["mode"] = "zero"
        try:
            tiled_mean = handler.tiled_encode(tiled_source, chunk_size=TILED_ENCODE["chunk_hops"] * hop,
                                              overlap=TILED_ENCODE["overlap_hops"] * hop, offload_latent_to_cpu=True)
        finally:
            NOISE["mode"] = "real"
        cases["vae-encode-tiled"] = {"audio": tiled_source, "mean": tiled_mean}
        # The deliberate difference: 9 hops + 1500 samples (three windows, the second cut by an end more than half a hop
        # past the grid), where upstream's round(context / hop) trim drops the second core's last frame.
        NOISE["mode"] = "zero"
        try:
            ragged_source = 0.5 * torch.randn(1, 2, 9 * hop + 1500, generator=g)
            ragged_mean = handler.tiled_encode(ragged_source, chunk_size=TILED_ENCODE["chunk_hops"] * hop,
                                               overlap=TILED_ENCODE["overlap_hops"] * hop, offload_latent_to_cpu=True)
        finally:
            NOISE["mode"] = "real"
        cases["vae-encode-tiled-ragged"] = {"audio": ragged_source, "mean": ragged_mean}
        if not os.environ.get("ACESTEP_RANDN_SOURCE"):
            return cases
        # The seeded posterior sample: upstream's handler calls sample() without a generator (torch's global RNG);
        # seeded here with torch.manual_seed, the draw recorded. On vae-encode's audio (3 frames: 12 draws, torch's
        # scalar normal path) and vae-encode-tiled's (13 frames: 52 draws, its vectorised path for 16 and more), each
        # in one window: upstream samples per tile, the engine once over the joined posterior, so tiled samples cannot
        # match draw for draw.
        sample_case = {"seed": torch.tensor([float(POSTERIOR_SEED)])}
        for label, clip in (("short", source_audio), ("long", tiled_source)):
            NOISE_DRAWS.clear()
            torch.manual_seed(POSTERIOR_SEED)
            sample_case["sample_" + label] = handler.tiled_encode(clip, chunk_size=48000 * 30, overlap=48000 * 2,
                                                                  offload_latent_to_cpu=True)
            assert len(NOISE_DRAWS) == 1
            sample_case["noise_" + label] = NOISE_DRAWS[0]
        cases["vae-sample"] = sample_case
    return cases


def install_vector_quantize(root):
    """vector_quantize_pytorch's residual_fsq and finite_scalar_quantization, and einops, from their real sources under
    root; the package's __init__ (which imports every other quantizer) is skipped, and einx.get_at — used only by
    get_codes_from_indices — is answered for its one pattern by plain indexing."""
    for name in ("einops", "vector_quantize_pytorch"):
        sys.modules.pop(name, None)
    sys.path.insert(0, root)
    import einops  # noqa: F401  (the real one, from root)
    package = types.ModuleType("vector_quantize_pytorch")
    package.__path__ = [os.path.join(root, "vector_quantize_pytorch")]
    sys.modules["vector_quantize_pytorch"] = package
    einx = types.ModuleType("einx")

    def get_at(pattern, codebooks, indices):
        assert pattern == "q [c] d, b n q -> q b n d", pattern
        return torch.stack([codebooks[q][indices[..., q].long()] for q in range(codebooks.shape[0])])

    einx.get_at = get_at
    sys.modules["einx"] = einx
    from vector_quantize_pytorch.residual_fsq import ResidualFSQ
    package.ResidualFSQ = ResidualFSQ


# The tiny Qwen3 (text encoder and LM), as the engine tests' TinyCheckpoints.QwenConfig.
QWEN_CONFIG = {
    "model_type": "qwen3",
    "vocab_size": 300,
    "hidden_size": 24,
    "intermediate_size": 48,
    "num_hidden_layers": 2,
    "num_attention_heads": 4,
    "num_key_value_heads": 2,
    "head_dim": 8,
    "hidden_act": "silu",
    "rms_norm_eps": 1e-6,
    "rope_theta": 1000000.0,
    "attention_bias": False,
    "max_position_embeddings": 4096,
}


def qwen_cases(qwen3, base, out_dir):
    """Qwen3Model (the text encoder) and Qwen3ForCausalLM (the LM), transformers' classes from the same file.

    Their masks: Qwen3Model.forward takes a prepared {layer type: mask} mapping (the path generate() uses) instead of
    building one with transformers' masking_utils, which this script does not load; the causal mask handed in is
    upstream ACE-Step's own create_4d_mask(is_causal=True). Upstream calls the text encoder without an attention mask
    and the prompts here are unpadded, so the causal mask is the whole mask either way."""
    g = torch.Generator().manual_seed(20)
    config = _Config(**QWEN_CONFIG, layer_types=["full_attention"] * QWEN_CONFIG["num_hidden_layers"], pad_token_id=None,
                     attention_dropout=0.0, sliding_window=None, rope_scaling=None)

    def causal(length):
        return {"full_attention": base.create_4d_mask(seq_len=length, dtype=torch.float32, device=torch.device("cpu"),
                                                      attention_mask=None, sliding_window=None, is_sliding_window=False,
                                                      is_causal=True)}

    cases = {}
    text = qwen3.Qwen3Model(config).eval()
    randomize(text, g)
    write_qwen(os.path.join(out_dir, "text-encoder"), text.state_dict(), tie=True)
    lm = qwen3.Qwen3ForCausalLM(config).eval()
    randomize(lm, g)
    write_qwen(os.path.join(out_dir, "lm"), lm.state_dict(), tie=False)
    with torch.no_grad():
        ids = torch.randint(0, QWEN_CONFIG["vocab_size"], (2, 9), generator=g)
        hidden = text(input_ids=ids, attention_mask=causal(9), use_cache=False).last_hidden_state
        cases["text-encoder"] = {"ids": ids.float(), "hidden": hidden, "embeddings": text.embed_tokens(ids)}
        ids = torch.randint(0, QWEN_CONFIG["vocab_size"], (1, 12), generator=g)
        logits = lm(input_ids=ids, attention_mask=causal(12), use_cache=False).logits
        cases["lm-logits"] = {"ids": ids.float(), "logits": logits}
    return cases


def write_qwen(directory, state, tie):
    os.makedirs(directory, exist_ok=True)
    if tie:
        state = {k: v for k, v in state.items() if not k.startswith("lm_head.")}
    goldens.write_safetensors(os.path.join(directory, "model.safetensors"), state)
    with open(os.path.join(directory, "config.json"), "w", encoding="utf-8") as f:
        json.dump(dict(QWEN_CONFIG, tie_word_embeddings=tie), f, indent=1)
        f.write("\n")


def max_rel(a, b):
    return ((a - b).abs().max() / b.abs().max()).item()


def main():
    upstream = os.environ.get("ACESTEP_UPSTREAM")
    source = os.environ.get("ACESTEP_QWEN3_SOURCE")
    if not upstream or not os.path.isdir(os.path.join(upstream, "acestep")):
        sys.exit("Set ACESTEP_UPSTREAM to a checkout of github.com/ace-step/ACE-Step-1.5 (latest layout).")
    if not source or not os.path.isfile(source):
        sys.exit("Set ACESTEP_QWEN3_SOURCE to transformers' src/transformers/models/qwen3/modeling_qwen3.py.")
    out_dir = sys.argv[1] if len(sys.argv) > 1 else os.path.join(REPO, "tests", "AceStep.Engine.Parity.Tests", "Goldens", "network")
    os.makedirs(os.path.join(out_dir, "checkpoint"), exist_ok=True)
    goldens.UPSTREAM = upstream
    goldens.install_stand_ins()
    goldens._InertModule.BASES["PretrainedConfig"] = _Config
    goldens._InertModule.BASES["PreTrainedModel"] = _PreTrainedModel
    qwen3 = install_qwen3(source)
    vq_root = os.environ.get("ACESTEP_VQ_ROOT")
    if vq_root:
        install_vector_quantize(vq_root)
    sys.path.insert(0, upstream)
    base = goldens.load_module("acestep/models/base/modeling_acestep_v15_base.py", "acestep.models.base.modeling_acestep_v15_base")
    torch.set_num_threads(1)

    cfg = base.AceStepConfig(**{k: v for k, v in CONFIG.items() if k not in ("model_type", "dtype", "is_turbo")})
    g = torch.Generator().manual_seed(18)
    decoder = base.AceStepDiTModel(cfg).eval()
    encoder = base.AceStepConditionEncoder(cfg).eval()
    randomize(decoder, g)
    randomize(encoder, g)
    null = torch.randn(1, 1, CONFIG["hidden_size"], generator=g)
    weights = {"decoder." + k: v for k, v in decoder.state_dict().items()}
    weights.update({"encoder." + k: v for k, v in encoder.state_dict().items()})
    weights["null_condition_emb"] = null
    if vq_root:
        # The audio tokenizer (attention pooler + ResidualFSQ) and the detokenizer, drawn from their own generator so
        # the other stages' weights and inputs do not depend on whether this stage ran.
        g_codes = torch.Generator().manual_seed(19)
        tokenizer = base.AceStepAudioTokenizer(cfg).eval()
        detokenizer = base.AudioTokenDetokenizer(cfg).eval()
        randomize(tokenizer, g_codes)
        randomize(detokenizer, g_codes)
        weights.update({"tokenizer." + k: v for k, v in tokenizer.state_dict().items()})
        weights.update({"detokenizer." + k: v for k, v in detokenizer.state_dict().items()})
    goldens.write_safetensors(os.path.join(out_dir, "checkpoint", "model.safetensors"), weights)
    with open(os.path.join(out_dir, "checkpoint", "config.json"), "w", encoding="utf-8") as f:
        json.dump(CONFIG, f, indent=1)
        f.write("\n")

    cases, tolerances = {}, {}
    with torch.no_grad():
        # Condition encoder: two items, padded caption and lyrics, three reference clips (item 0 has two).
        b, lt, ll, refs, ref_frames = 2, 7, 9, 3, 20
        text = torch.randn(b, lt, CONFIG["text_hidden_dim"], generator=g)
        text_mask = torch.ones(b, lt)
        text_mask[1, 5:] = 0
        lyric = torch.randn(b, ll, CONFIG["text_hidden_dim"], generator=g)
        lyric_mask = torch.ones(b, ll)
        lyric_mask[0, 6:] = 0
        ref = torch.randn(refs, ref_frames, CONFIG["timbre_hidden_dim"], generator=g)
        order = torch.tensor([0, 0, 1])
        enc, enc_mask = encoder(text_hidden_states=text, text_attention_mask=text_mask, lyric_hidden_states=lyric,
                                lyric_attention_mask=lyric_mask, refer_audio_acoustic_hidden_states_packed=ref,
                                refer_audio_order_mask=order)
        cases["condition-encoder"] = {"text": text, "text_mask": text_mask, "lyric": lyric, "lyric_mask": lyric_mask,
                                      "refs": ref, "ref_owner": order.float(), "out": enc, "out_mask": enc_mask.float()}

        # DiT decoder: one odd-length item past the sliding window (301 frames -> 151 patches > 128), t != r.
        frames, tokens = 301, 11
        xt = torch.randn(1, frames, 64, generator=g)
        ctx = torch.cat([torch.randn(1, frames, 64, generator=g), (torch.rand(1, frames, 64, generator=g) > 0.5).float()], dim=-1)
        states = torch.randn(1, tokens, CONFIG["hidden_size"], generator=g)
        t, r = torch.tensor([0.7]), torch.tensor([0.25])
        out = decoder(hidden_states=xt, timestep=t, timestep_r=r, attention_mask=torch.ones(1, frames),
                      encoder_hidden_states=states, encoder_attention_mask=torch.ones(1, tokens), context_latents=ctx,
                      use_cache=False)[0]
        cases["dit-forward"] = {"xt": xt, "context": ctx, "encoder_states": states, "t": t, "r": r, "out": out}

    if vq_root:
        with torch.no_grad():
            latents = torch.randn(2, 25, 64, generator=g_codes)
            quantized, indices = tokenizer.tokenize(latents)
            hints = detokenizer(quantized)
            from_indices = tokenizer.quantizer.get_output_from_indices(indices)
        cases["audio-codes"] = {"latents": latents, "quantized": quantized, "indices": indices.float(), "hints": hints,
                                "from_indices": from_indices}

    if hasattr(qwen3, "Qwen3Model"):
        cases.update(qwen_cases(qwen3, base, out_dir))

    diffusers_source = os.environ.get("ACESTEP_OOBLECK_SOURCE")
    if diffusers_source:
        cases.update(vae_cases(diffusers_source, out_dir, g, upstream))

    manifest = {
        "generator": "scripts/parity/make_network_goldens.py",
        "command": "ACESTEP_UPSTREAM=... ACESTEP_QWEN3_SOURCE=.../modeling_qwen3.py ACESTEP_OOBLECK_SOURCE=.../autoencoder_oobleck.py ACESTEP_RANDN_SOURCE=.../torch_utils.py ACESTEP_VQ_ROOT=... /usr/bin/python3 scripts/parity/make_network_goldens.py (docs/parity.md)",
        "upstream": {"repository": "github.com/ace-step/ACE-Step-1.5", "commit": goldens.git_head(),
                     "classes": ["AceStepDiTModel", "AceStepConditionEncoder", "AceStepAudioTokenizer", "AudioTokenDetokenizer",
                                 "create_4d_mask"]},
        "transformers_qwen3": {"file": "src/transformers/models/qwen3/modeling_qwen3.py",
                               "commit": os.environ.get("ACESTEP_QWEN3_COMMIT", "unknown"),
                               "sha256": hashlib.sha256(open(source, "rb").read()).hexdigest()},
        "diffusers_oobleck": {"file": "src/diffusers/models/autoencoders/autoencoder_oobleck.py",
                              "commit": os.environ.get("ACESTEP_OOBLECK_COMMIT", "unknown"),
                              "sha256": hashlib.sha256(open(diffusers_source, "rb").read()).hexdigest()} if diffusers_source else None,
        "vector_quantize_pytorch": {"files": ["vector_quantize_pytorch/residual_fsq.py", "vector_quantize_pytorch/finite_scalar_quantization.py"],
                                    "commit": os.environ.get("ACESTEP_VQ_COMMIT", "unknown"),
                                    "einops_commit": os.environ.get("ACESTEP_EINOPS_COMMIT", "unknown")} if vq_root else None,
        "upstream_handler": {"files": ["acestep/core/generation/handler/vae_decode.py", "acestep/core/generation/handler/vae_decode_chunks.py",
                                       "acestep/core/generation/handler/vae_encode.py", "acestep/core/generation/handler/vae_encode_chunks.py"],
                             "tiled_decode": {"chunk_size": TILED_DECODE["chunk"], "overlap": TILED_DECODE["overlap"], "offload_wav_to_cpu": False},
                             "tiled_encode": {"chunk_size": TILED_ENCODE["chunk_hops"] * 1920, "overlap": TILED_ENCODE["overlap_hops"] * 1920,
                                              "offload_latent_to_cpu": True, "noise": "zero (sample() = mean)"},
                             "posterior_sample": {"seed": POSTERIOR_SEED, "rng": "torch.manual_seed, sample() without generator"}}
        if diffusers_source else None,
        "diffusers_randn_tensor": {"file": "src/diffusers/utils/torch_utils.py", "function": "randn_tensor",
                                   "commit": os.environ.get("ACESTEP_RANDN_COMMIT", "unknown"),
                                   "sha256": hashlib.sha256(open(os.environ["ACESTEP_RANDN_SOURCE"], "rb").read()).hexdigest()}
        if os.environ.get("ACESTEP_RANDN_SOURCE") else None,
        "torch": torch.__version__,
        "python": sys.version.split()[0],
        "device": "cpu, float32, one thread",
        "tolerances": {"max_abs_relative_to_peak": 1e-5},
        "checkpoint_sha256": hashlib.sha256(open(os.path.join(out_dir, "checkpoint", "model.safetensors"), "rb").read()).hexdigest(),
        "vae_sha256": hashlib.sha256(open(os.path.join(out_dir, "vae", "diffusion_pytorch_model.safetensors"), "rb").read()).hexdigest()
        if diffusers_source else None,
        "cases": {},
    }
    for name, tensors in cases.items():
        path = os.path.join(out_dir, name + ".safetensors")
        goldens.write_safetensors(path, {k: v.float().contiguous() for k, v in tensors.items()})
        manifest["cases"][name] = {"sha256": hashlib.sha256(open(path, "rb").read()).hexdigest(),
                                   "shapes": {k: list(v.shape) for k, v in tensors.items()}}
    with open(os.path.join(out_dir, "manifest.json"), "w", encoding="utf-8") as f:
        json.dump(manifest, f, indent=1)
        f.write("\n")
    print(f"wrote {len(cases)} network cases to {out_dir}")


if __name__ == "__main__":
    main()
