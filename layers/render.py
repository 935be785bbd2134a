"""Render every layer of every model and view with Blender (bpy), and keep the manifest in step.

    .venv/bin/python layers/render.py                  # everything, final quality (skips fresh layers)
    .venv/bin/python layers/render.py --profile draft  # everything, few samples (a quick full set)
    .venv/bin/python layers/render.py --only hatch:side   # one model / view (model, or model:view)
    .venv/bin/python layers/render.py --quick /tmp/out # one small view of the first model, for the smoke test

Per model and view it renders: the backdrop (the car only casts its shadow), the body with its passes
(shade, paint mask, light on the paint, reflections on the paint), the glass, and one layer per drawn
option with the body as a holdout. A layer is skipped when the hash of everything it depends on
(model description, generator and renderer source, profile, view, layer) matches the one recorded in
layers/img/inputs.json and the file exists. After rendering it writes `[paint] light_max` and
`asset_version` into layers/manifest.toml. See layers/README.md.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import re
import sys
import tempfile
import time
import tomllib
from pathlib import Path

import numpy as np
from PIL import Image

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import bpy  # noqa: E402
import generator  # noqa: E402
from bpy_extras.object_utils import world_to_camera_view  # noqa: E402
from mathutils import Vector  # noqa: E402

from assets import drawn_options, fingerprint  # noqa: E402

MANIFEST = HERE / "manifest.toml"
IMG = HERE / "img"
INPUTS = IMG / "inputs.json"

# The turntable, in turning order (see the manifest's [views.*] tables, which this writes nothing to).
VIEWS = {
    "front-left": 45, "side": 90, "rear-left": 135, "rear": 180,
    "rear-right": 225, "right": 270, "front-right": 315, "front": 0,
}
# Options of these slots never overlap each other on screen, so one render can hold one of each
# (split afterwards by per-option coverage AOVs). Stripes lie on the roof, so they get their own renders.
ROUND_GROUPS = [["wheels", "roof", "badge"], ["mirrors", "badge_bar"], ["stripes"]]
ROUND_SIZE = 3
LIGHT_MAX = 2.0  # body_light stores light / LIGHT_MAX with a 2.2 gamma (see the contract)
PAINT_GREY = "#808080"  # the paint the body passes are rendered with (shared.toml's `paint` finish)

PROFILES = {
    # samples per layer kind; OpenImageDenoise cleans every pass that is kept
    # `scale`: percent of the canvas actually rendered, enlarged (Lanczos) to the canvas afterwards. The
    # final set renders at half size because this 2-core machine is shared; give it 100 on a bigger one.
    # the backdrop is soft light and soft shadow: it renders at `backdrop_scale` percent and is enlarged
    "final": {"size": [1600, 900], "scale": 50, "backdrop_scale": 25,
              "samples": {"backdrop": 10, "body": 12, "glass": 8, "option": 8}},
    "draft": {"size": [1600, 900], "scale": 25, "backdrop_scale": 25,
              "samples": {"backdrop": 8, "body": 12, "glass": 6, "option": 8}},
    "quick": {"size": [320, 180], "scale": 100, "backdrop_scale": 100,
              "samples": {"backdrop": 4, "body": 8, "glass": 4, "option": 4}},
}

STUDIO = {
    "camera": {"distance": 7.0, "height": 1.3, "aim_z": 0.62, "lens": 50.0, "shift_y": 0.05},
    "floor": "#CFCFCF",
    "wall": "#C9C9C9",
    "world": {"ground": "#2A2A2A", "horizon": "#B8B8B8", "zenith": "#E8ECF0", "strength": 0.3},
    # area lights in the camera's frame: camera at +x, its right is +y (they turn with the camera)
    "lights": [
        {"at": [1.0, -1.5, 5.0], "size": [6.0, 3.5], "power": 380},   # key: a big, soft box overhead
        {"at": [7.0, 2.5, 2.2], "size": [4.0, 3.0], "power": 120},    # fill from beside the camera
        {"at": [-5.0, 1.0, 3.2], "size": [5.0, 1.5], "power": 150},   # rim from behind the car
        {"at": [2.5, -5.5, 1.7], "size": [1.2, 5.0], "power": 110},   # side strip: a long highlight
    ],
}


# ---------------------------------------------------------------- colour maths


def srgb_encode(linear: np.ndarray) -> np.ndarray:
    """Blender's "Standard" view transform (exposure 0, gamma 1, no look) on linear values, 0..1."""
    linear = np.clip(linear, 0.0, 1.0)
    return np.where(linear <= 0.0031308, linear * 12.92, 1.055 * np.power(linear, 1 / 2.4) - 0.055)


def to_byte(values: np.ndarray) -> np.ndarray:
    return np.rint(np.clip(values, 0, 1) * 255).astype(np.uint8)


# ---------------------------------------------------------------- inputs and hashes


def defaults_drawn(manifest: dict, model: dict) -> list[str]:
    drawn = {o["id"] for o in drawn_options(manifest, model["id"])}
    return [opt for opt in model["defaults"].values() if opt in drawn]


def source_hash() -> str:
    digest = hashlib.sha256()
    for path in (HERE / "generator.py", HERE / "render.py"):
        digest.update(path.read_bytes())
    return digest.hexdigest()


def layer_hash(description: dict, profile: str, view: str, layer: str, extra: object = None) -> str:
    payload = json.dumps([description, PROFILES[profile], STUDIO, LIGHT_MAX, view, layer, extra, source_hash()],
                         sort_keys=True, default=str)
    return hashlib.sha256(payload.encode()).hexdigest()


def update_manifest(light_max: float) -> str:
    text = MANIFEST.read_text()
    version = fingerprint(IMG)
    text = re.sub(r'^asset_version = "[^"]*"', f'asset_version = "{version}"', text, count=1, flags=re.M)
    text = re.sub(r"^light_max = [0-9.]+", f"light_max = {light_max}", text, count=1, flags=re.M)
    MANIFEST.write_text(text)
    return version


# ---------------------------------------------------------------- the scene


def reset_scene() -> bpy.types.Scene:
    bpy.ops.wm.read_factory_settings(use_empty=True)
    scene = bpy.context.scene
    scene.render.engine = "CYCLES"
    scene.cycles.device = "CPU"
    scene.view_settings.view_transform = "Standard"
    scene.view_settings.look = "None"
    scene.view_settings.exposure = 0.0
    scene.view_settings.gamma = 1.0
    scene.render.threads_mode = "FIXED"
    scene.render.threads = 2
    scene.render.use_persistent_data = True
    c = scene.cycles
    c.use_adaptive_sampling = True
    c.adaptive_threshold = 0.02
    c.use_denoising = True
    c.denoiser = "OPENIMAGEDENOISE"
    c.denoising_input_passes = "RGB_ALBEDO_NORMAL"
    c.max_bounces, c.diffuse_bounces, c.glossy_bounces = 8, 2, 4
    c.transmission_bounces, c.transparent_max_bounces = 4, 16
    c.caustics_reflective = c.caustics_refractive = False
    c.sample_clamp_indirect = 8.0
    c.seed = 7
    return scene


def build_studio(scene) -> tuple[bpy.types.Object, list[bpy.types.Object]]:
    """Cyclorama, gradient world, area lights and camera on a rig that turns round the car."""
    world = bpy.data.worlds.new("studio")
    scene.world = world
    world.use_nodes = True
    nodes, links = world.node_tree.nodes, world.node_tree.links
    coords = nodes.new("ShaderNodeTexCoord")
    sep = nodes.new("ShaderNodeSeparateXYZ")
    ramp = nodes.new("ShaderNodeValToRGB")
    w = STUDIO["world"]
    ramp.color_ramp.elements[0].position, ramp.color_ramp.elements[0].color = 0.45, generator.hex_linear(w["ground"])
    ramp.color_ramp.elements[1].position, ramp.color_ramp.elements[1].color = 1.0, generator.hex_linear(w["zenith"])
    mid = ramp.color_ramp.elements.new(0.52)
    mid.color = generator.hex_linear(w["horizon"])
    remap = nodes.new("ShaderNodeMapRange")  # direction z in -1..1 -> 0..1
    remap.inputs["From Min"].default_value = -1.0
    links.new(coords.outputs["Generated"], sep.inputs[0])
    links.new(sep.outputs["Z"], remap.inputs["Value"])
    links.new(remap.outputs["Result"], ramp.inputs["Fac"])
    background = nodes["Background"]
    background.inputs["Strength"].default_value = w["strength"]
    links.new(ramp.outputs["Color"], background.inputs["Color"])

    studio = []
    # the cyclorama: a floor that curves up into a round wall, lathed round the vertical axis
    t = np.linspace(0, math.pi / 2, 12)
    profile = [(0.0, 0.0), (9.0, 0.0)] + [(9.0 + 3 * math.sin(a), 3 - 3 * math.cos(a)) for a in t[1:]] + [(12.0, 9.0)]
    verts, faces = [], []
    seg = 96
    for i in range(seg):
        ang = 2 * math.pi * i / seg
        verts += [(r * math.cos(ang), r * math.sin(ang), z) for r, z in profile]
    n = len(profile)
    for i in range(seg):
        i2 = (i + 1) % seg
        for p in range(n - 1):
            faces.append((i * n + p, i2 * n + p, i2 * n + p + 1, i * n + p + 1))
    floor_mat = generator._principled("cyclorama", {"colour": STUDIO["floor"], "roughness": 0.9})
    cyc = generator.mesh_object("cyclorama", verts, faces, floor_mat)
    studio.append(cyc)

    rig = bpy.data.objects.new("rig", None)
    scene.collection.objects.link(rig)
    cam_cfg = STUDIO["camera"]
    cam_data = bpy.data.cameras.new("camera")
    cam_data.lens = cam_cfg["lens"]
    cam_data.sensor_width = 36
    cam_data.shift_y = cam_cfg["shift_y"]
    cam = bpy.data.objects.new("camera", cam_data)
    scene.collection.objects.link(cam)
    cam.parent = rig
    cam.location = (cam_cfg["distance"], 0, cam_cfg["height"])
    _look_at(cam, Vector((0, 0, cam_cfg["aim_z"])))
    scene.camera = cam
    for i, spec in enumerate(STUDIO["lights"]):
        light = bpy.data.lights.new(f"light{i}", "AREA")
        light.shape = "RECTANGLE"
        light.size, light.size_y = spec["size"]
        light.energy = spec["power"]
        obj = bpy.data.objects.new(f"light{i}", light)
        scene.collection.objects.link(obj)
        obj.parent = rig
        obj.location = spec["at"]
        _look_at(obj, Vector((0, 0, 0.6)))
    return rig, studio


def _look_at(obj, target: Vector) -> None:
    direction = target - Vector(obj.location)
    obj.rotation_euler = direction.to_track_quat("-Z", "Y").to_euler()


def set_view(rig, azimuth: float) -> None:
    """Azimuth 0: camera in front of the car; 90: the side where the car faces right in the picture."""
    rig.rotation_euler = (0, 0, math.radians(-azimuth))
    bpy.context.view_layer.update()


def setup_passes(scene, out_dir: Path):
    """Compositor: the combined image, plus denoised paint light and paint reflections, plus the paint AOV."""
    vl = scene.view_layers[0]
    for name in ("diffuse_direct", "diffuse_indirect", "diffuse_color", "glossy_direct", "glossy_indirect",
                 "glossy_color"):
        setattr(vl, "use_pass_" + name, True)
    vl.cycles.denoising_store_passes = True
    for name in ["paint"] + [f"opt{i}" for i in range(ROUND_SIZE)]:
        if name not in vl.aovs:
            aov = vl.aovs.add()
            aov.name, aov.type = name, "VALUE"
    scene.use_nodes = True
    tree = scene.node_tree
    tree.nodes.clear()
    rl = tree.nodes.new("CompositorNodeRLayers")
    comp = tree.nodes.new("CompositorNodeComposite")
    tree.links.new(rl.outputs["Image"], comp.inputs["Image"])
    main = _file_output(tree, out_dir, ["image"])
    tree.links.new(rl.outputs["Image"], main.inputs["image"])
    tree.links.new(rl.outputs["Alpha"], comp.inputs["Alpha"]) if "Alpha" in comp.inputs else None
    passes = _file_output(tree, out_dir, ["light", "gloss", "paint"])
    for slot, (direct, indirect, colour) in {
        "light": ("DiffDir", "DiffInd", "DiffCol"),
        "gloss": ("GlossDir", "GlossInd", "GlossCol"),
    }.items():
        add = _mix(tree, "ADD", rl.outputs[direct], rl.outputs[indirect])
        mul = _mix(tree, "MULTIPLY", add.outputs[0], rl.outputs[colour])
        den = tree.nodes.new("CompositorNodeDenoise")
        den.use_hdr = True
        den.prefilter = "ACCURATE"
        tree.links.new(mul.outputs[0], den.inputs["Image"])
        tree.links.new(rl.outputs["Denoising Normal"], den.inputs["Normal"])
        tree.links.new(rl.outputs["Denoising Albedo"], den.inputs["Albedo"])
        tree.links.new(den.outputs[0], passes.inputs[slot])
    tree.links.new(rl.outputs["paint"], passes.inputs["paint"])
    options = _file_output(tree, out_dir, [f"opt{i}" for i in range(ROUND_SIZE)])
    for i in range(ROUND_SIZE):
        tree.links.new(rl.outputs[f"opt{i}"], options.inputs[f"opt{i}"])
    return passes, options


def add_option_aovs(materials) -> None:
    """Every material writes AOV opt{i} = 1 where the object's pass index is i + 1 (coverage per option)."""
    for mat in materials:
        nodes, links = mat.node_tree.nodes, mat.node_tree.links
        info = nodes.new("ShaderNodeObjectInfo")
        for i in range(ROUND_SIZE):
            same = nodes.new("ShaderNodeMath")
            same.operation = "COMPARE"
            same.inputs[1].default_value = i + 1
            same.inputs[2].default_value = 0.5
            links.new(info.outputs["Object Index"], same.inputs[0])
            aov = nodes.new("ShaderNodeOutputAOV")
            aov.aov_name = f"opt{i}"
            links.new(same.outputs[0], aov.inputs["Value"])


def option_rounds(options: list[dict]) -> list[tuple[str, ...]]:
    """Options grouped into renders: the n-th option of each slot in a ROUND_GROUPS group render together."""
    rounds = []
    for group in ROUND_GROUPS:
        by_slot = [[o["id"] for o in options if o["slot"] == slot] for slot in group]
        for n in range(max((len(ids) for ids in by_slot), default=0)):
            rounds.append(tuple(ids[n] for ids in by_slot if n < len(ids)))
    grouped = {slot for group in ROUND_GROUPS for slot in group}
    rounds += [(o["id"],) for o in options if o["slot"] not in grouped]
    return rounds


def _file_output(tree, out_dir: Path, slots: list[str]):
    node = tree.nodes.new("CompositorNodeOutputFile")
    node.base_path = str(out_dir)
    node.format.file_format = "OPEN_EXR"
    node.format.color_depth = "32"
    node.format.color_mode = "RGBA"
    node.format.exr_codec = "ZIP"
    node.file_slots.clear()
    for slot in slots:
        node.file_slots.new(slot)
    return node


def _mix(tree, blend: str, a, b):
    node = tree.nodes.new("CompositorNodeMixRGB")
    node.blend_type = blend
    tree.links.new(a, node.inputs[1])
    tree.links.new(b, node.inputs[2])
    return node


def read_exr(path: Path) -> np.ndarray:
    image = bpy.data.images.load(str(path))
    image.colorspace_settings.name = "Non-Color"
    w, h = image.size
    buf = np.empty(w * h * 4, dtype=np.float32)
    image.pixels.foreach_get(buf)
    bpy.data.images.remove(image)
    return buf.reshape(h, w, 4)[::-1]


# ---------------------------------------------------------------- one model


class Studio:
    """The scene every model renders in: studio, camera rig, compositor, and every car built into it."""

    def __init__(self, profile: str) -> None:
        started = time.monotonic()
        self.profile = profile
        self.scene = reset_scene()
        self.rig, self.objects = build_studio(self.scene)
        self.tmp = Path(tempfile.mkdtemp(prefix="motorjoy-render-"))
        self.car_objects: list = []
        size = PROFILES[profile]["size"]
        self.scene.render.resolution_x, self.scene.render.resolution_y = size
        self.started = started

    def add(self, car) -> None:
        self.car_objects += car.all_objects

    def finish(self) -> None:
        """Once every car is in: coverage AOVs on every material, and the compositor."""
        add_option_aovs([m for m in bpy.data.materials if m.use_nodes and m.name != "cyclorama"])
        self.pass_node, self.option_node = setup_passes(self.scene, self.tmp)
        log(f"scene built in {time.monotonic() - self.started:.1f}s ({len(self.car_objects)} car objects)")


class ModelRenderer:
    def __init__(self, model: dict, manifest: dict, profile: str, out_root: Path, *, defaults_only=False) -> None:
        self.model, self.manifest, self.profile = model, manifest, profile
        self.defaults_only = defaults_only  # the quick mode renders only the options a new build shows
        self.out_root = out_root
        self.description = generator.load_description(HERE / "models" / f"{model['id']}.toml")
        self.car = None
        self.stats: list[dict] = []
        self.light_peak = 0.0

    def jobs(self, views) -> list[tuple[str, str, tuple[str, ...]]]:
        """(view, kind, option ids) for every render of this model: backdrop, body, glass, option rounds."""
        options = drawn_options(self.manifest, self.model["id"])
        if self.defaults_only:
            options = [o for o in options if o["id"] in self.model["defaults"].values()]
        jobs = []
        for view in views:
            jobs += [(view, "backdrop", ()), (view, "body", ()), (view, "glass", ())]
            jobs += [(view, "round", ids) for ids in option_rounds(options)]
        return jobs

    def outputs(self, view: str, kind: str, options: tuple[str, ...]) -> list[tuple[Path, str | None]]:
        """(file, option id) written by one job."""
        folder = self.out_root / self.model["id"] / view
        if kind == "body":
            return [(folder / name, None) for name in ("body_shade.webp", "body_mask.webp", "body_light.webp",
                                                       "body_gloss.webp")]
        if kind == "round":
            slots = {o["id"]: o["slot"] for o in self.manifest["options"]}
            return [(folder / slots[option] / f"{option}.webp", option) for option in options]
        return [(folder / f"{kind}.webp", None)]

    def build(self, studio: Studio) -> None:
        started = time.monotonic()
        self.studio = studio
        self.scene, self.rig, self.tmp = studio.scene, studio.rig, studio.tmp
        self.car = generator.build(self.description)
        studio.add(self.car)
        log(f"{self.model['id']}: built in {time.monotonic() - started:.1f}s ({len(self.car.all_objects)} objects)")

    def stale_jobs(self, views, hashes: dict) -> list[tuple]:
        """The jobs whose outputs are missing or were made from other inputs, with their output hashes."""
        stale = []
        for view, kind, options in self.jobs(views):
            outputs = self.outputs(view, kind, options)
            digests = {path.relative_to(self.out_root).as_posix(): layer_hash(
                self.description, self.profile, view, kind, option) for path, option in outputs}
            if all(hashes.get(key) == digest for key, digest in digests.items()) and all(
                    path.exists() for path, _ in outputs):
                continue
            stale.append((view, kind, options, outputs, digests))
        return stale

    def run_job(self, job: tuple, record) -> None:
        view, kind, options, outputs, digests = job
        started = time.monotonic()
        set_view(self.rig, VIEWS[view])
        self.render_job(kind, options, outputs)
        seconds = time.monotonic() - started
        label = f"{self.model['id']}/{view}/{kind}" + (f" {'+'.join(options)}" if options else "")
        self.stats.append({"job": label, "seconds": round(seconds, 1)})
        log(f"{label}: {seconds:.1f}s")
        for key, digest in digests.items():
            record(key, digest)

    # --- visibility ---------------------------------------------------------------
    def configure(self, *, show: list, holdout: list, light_only: list, backdrop: bool) -> None:
        wanted = {id(o) for o in show + holdout + light_only}
        for obj in self.studio.car_objects:  # every car in the scene: the other models stay hidden
            obj.hide_render = id(obj) not in wanted
            obj.is_holdout = any(obj is h for h in holdout)
            obj.visible_camera = not any(obj is h for h in light_only)
        for obj in self.studio.objects:
            obj.visible_camera = backdrop
        self.scene.render.film_transparent = not backdrop

    def defaults(self) -> list[str]:
        return [self.car.options[o] for o in defaults_drawn(self.manifest, self.model) if o in self.car.options]

    def render_job(self, kind: str, options: tuple[str, ...], outputs) -> None:
        self.render_raw(kind, options)
        image = read_exr(next(self.tmp.glob("image*.exr")))
        if kind == "backdrop":
            save(Image.fromarray(to_byte(srgb_encode(image[..., :3])), "RGB"), outputs[0][0])
        elif kind == "body":
            self.save_body(image, outputs[0][0].parent)
        elif kind == "glass":
            save(straight_rgba(image), outputs[0][0])
        else:
            # one render holds several options that never overlap on screen; each option's share of a
            # pixel is its coverage AOV (anti-aliased like the image) over the options' total coverage
            cover = [read_exr(next(self.tmp.glob(f"opt{i}*.exr")))[..., 0] for i in range(len(options))]
            total = np.maximum(sum(cover), 1e-6)
            for (path, _option), share in zip(outputs, cover, strict=True):
                part = image.copy()
                part *= np.clip(share / total, 0, 1)[..., None]
                save(straight_rgba(part), path)

    def render_raw(self, kind: str, options: tuple[str, ...] = (), *, passes: bool | None = None) -> None:
        """Set who is visible how for this job, render, and leave the EXRs in self.tmp."""
        car = self.car
        body = car.objects(car.body)
        glass = car.objects(car.glass)
        lighting = car.objects(car.hidden)
        for obj in car.all_objects:
            obj.pass_index = 0
        if kind == "backdrop":
            # the car casts its shadow and bounce light but is invisible to the camera
            self.configure(show=[], holdout=[], light_only=body + glass + car.objects(self.defaults()), backdrop=True)
        elif kind == "body":
            self.configure(show=body, holdout=[], light_only=glass + lighting, backdrop=False)
        elif kind == "glass":
            self.configure(show=glass, holdout=body + car.objects(self.defaults()), light_only=lighting,
                           backdrop=False)
        else:
            parts = [car.options[option] for option in options]
            replaced = car.objects(car.replaces[o] for o in options if o in car.replaces)
            shown = car.objects(parts)
            holdout = [o for o in body if o not in replaced]
            others = [o for o in lighting if o not in shown] if not any(p in car.hidden for p in parts) else []
            if any(p.startswith("wheels") for p in parts):
                others = []
            for index, part in enumerate(parts, start=1):
                for obj in car.parts[part]:
                    obj.pass_index = index
            self.configure(show=shown, holdout=holdout, light_only=glass + others, backdrop=False)
        profile = PROFILES[self.profile]
        sample_kind = "option" if kind == "round" else kind
        self.scene.cycles.samples = profile["samples"][sample_kind]
        self.scene.render.resolution_percentage = profile["backdrop_scale" if kind == "backdrop" else "scale"]
        self.studio.pass_node.mute = not (kind == "body" if passes is None else passes)
        self.studio.option_node.mute = kind != "round"
        visible = [] if kind == "backdrop" else [o for o in self.car.all_objects if not o.hide_render and
                                                 o.visible_camera and not o.is_holdout]
        self.set_border(visible)
        for old in self.tmp.glob("*.exr"):
            old.unlink()
        bpy.ops.render.render(write_still=False)

    def reference_body(self, hex_colour: str) -> np.ndarray:
        """The body rendered with real paint (linear premultiplied RGBA), for the colour benchmark."""
        self.car.materials.set_paint(hex_colour)
        try:
            self.render_raw("body", passes=False)
            return read_exr(next(self.tmp.glob("image*.exr")))
        finally:
            self.car.materials.set_paint(PAINT_GREY)

    def set_border(self, objects) -> None:
        render = self.scene.render
        if not objects:
            render.use_border = False
            return
        cam = self.scene.camera
        xs, ys = [], []
        depsgraph = bpy.context.evaluated_depsgraph_get()
        for obj in objects:
            ev = obj.evaluated_get(depsgraph)
            for corner in ev.bound_box:
                co = world_to_camera_view(self.scene, cam, ev.matrix_world @ Vector(corner))
                xs.append(co.x)
                ys.append(co.y)
        pad = 0.01
        render.use_border = True
        render.use_crop_to_border = False
        render.border_min_x, render.border_max_x = max(0.0, min(xs) - pad), min(1.0, max(xs) + pad)
        render.border_min_y, render.border_max_y = max(0.0, min(ys) - pad), min(1.0, max(ys) + pad)

    def save_body(self, image: np.ndarray, folder: Path) -> None:
        alpha = image[..., 3]
        light_pass = read_exr(next(self.tmp.glob("light*.exr")))[..., :3]
        gloss_pass = read_exr(next(self.tmp.glob("gloss*.exr")))[..., :3]
        paint = read_exr(next(self.tmp.glob("paint*.exr")))[..., 0]
        covered = alpha > 1e-4
        safe = np.where(covered, alpha, 1.0)
        mask = np.where(covered, np.clip(paint / safe, 0, 1), 0)
        base = generator.srgb_to_linear(int(PAINT_GREY[1:3], 16) / 255)
        light = light_pass.mean(axis=2) / safe / base
        gloss = gloss_pass / safe[..., None]
        on_paint = mask > 0
        light = np.where(on_paint, light, 0)
        gloss = np.where(on_paint[..., None], gloss, 0)
        if on_paint.any():
            self.light_peak = max(self.light_peak, float(np.percentile(light[on_paint], 99.9)))
        save(straight_rgba(image), folder / "body_shade.webp")
        save(Image.fromarray(to_byte(mask), "L"), folder / "body_mask.webp")
        light_byte = to_byte(np.power(np.clip(light / LIGHT_MAX, 0, 1), 1 / 2.2))
        save(Image.fromarray(light_byte, "L"), folder / "body_light.webp")
        save(Image.fromarray(to_byte(srgb_encode(gloss)), "RGB"), folder / "body_gloss.webp")


def straight_rgba(image: np.ndarray) -> Image.Image:
    """Premultiplied linear RGBA -> straight sRGB RGBA bytes."""
    alpha = image[..., 3]
    safe = np.where(alpha > 1e-4, alpha, 1.0)
    rgb = srgb_encode(image[..., :3] / safe[..., None])
    rgba = np.dstack([to_byte(rgb), to_byte(alpha)])
    rgba[alpha <= 1e-4] = 0
    return Image.fromarray(rgba, "RGBA")


def save(image: Image.Image, path: Path) -> None:
    size = (bpy.context.scene.render.resolution_x, bpy.context.scene.render.resolution_y)
    if image.size != size:  # a draft rendered smaller than the canvas
        image = image.resize(size, Image.Resampling.LANCZOS)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp.webp")
    image.save(tmp, "WEBP", lossless=True, quality=90, method=4)
    tmp.replace(path)


LOG = None


def log(message: str) -> None:
    line = f"{time.strftime('%H:%M:%S')} {message}"
    print(line, flush=True)
    if LOG:
        with LOG.open("a") as fh:
            fh.write(line + "\n")


# ---------------------------------------------------------------- main


def main(argv=None) -> int:
    global LOG
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--profile", choices=["final", "draft"], default="final")
    parser.add_argument("--only", action="append", default=[], help="model or model:view (repeatable)")
    parser.add_argument("--quick", type=Path, metavar="DIR", help="render one small view into DIR and stop")
    parser.add_argument("--log", type=Path, help="also append progress lines to this file")
    parser.add_argument("--manifest-only", action="store_true",
                        help="render nothing; only rewrite asset_version and light_max from the files as they are")
    args = parser.parse_args(argv)
    LOG = args.log
    manifest = tomllib.loads(MANIFEST.read_text())
    started = time.monotonic()
    if args.manifest_only:
        print(json.dumps({"asset_version": update_manifest(LIGHT_MAX)}))
        return 0
    if args.quick:
        model = manifest["models"][0]
        renderer = ModelRenderer(model, manifest, "quick", args.quick, defaults_only=True)
        render_all([renderer], [model["views"][0]], {}, lambda key, digest: None)
        print(json.dumps({"seconds": round(time.monotonic() - started, 1), "layers": renderer.stats}))
        return 0
    IMG.mkdir(exist_ok=True)
    hashes = json.loads(INPUTS.read_text()) if INPUTS.exists() else {}

    def record(key: str, digest: str) -> None:
        hashes[key] = digest
        INPUTS.write_text(json.dumps(hashes, indent=0, sort_keys=True) + "\n")

    renderers = [ModelRenderer(model, manifest, args.profile, IMG) for model in manifest["models"]]
    views = list(dict.fromkeys(v for model in manifest["models"] for v in model["views"]))
    # the most looked-at views first (hero, then the two that old links name), so a cut-short run did those
    views = sorted(views, key=lambda v: (v not in ("front-left", "side", "front"), views.index(v)))
    render_all(renderers, views, hashes, record, args.only)
    peaks = [r.light_peak for r in renderers]
    for renderer in renderers:
        if renderer.light_peak > LIGHT_MAX:
            log(f"warning: {renderer.model['id']}: light on the paint reaches {renderer.light_peak:.2f} > {LIGHT_MAX}")
    version = update_manifest(LIGHT_MAX)
    seconds = time.monotonic() - started
    log(f"done in {seconds:.0f}s; asset_version {version}")
    print(json.dumps({"seconds": round(seconds), "asset_version": version, "light_peak": max(peaks, default=0)}))
    return 0


def render_all(renderers, views, hashes, record, only=()) -> None:
    """Views outermost (the hero view of every model first), so a run cut short leaves the best views done."""
    plan = []
    for view in views:
        for renderer in renderers:
            if view in renderer.model["views"] and _wanted(only, renderer.model["id"], view):
                plan += [(renderer, job) for job in renderer.stale_jobs([view], hashes)]
    log(f"{len(plan)} renders to do")
    if not plan:
        return
    studio = Studio(renderers[0].profile)
    for renderer in dict.fromkeys(r for r, _ in plan):
        renderer.build(studio)
    studio.finish()
    for renderer, job in plan:
        renderer.run_job(job, record)


def _wanted(only, model: str, view: str) -> bool:
    if not only:
        return True
    return any(item == model or item == f"{model}:{view}" for item in only)


if __name__ == "__main__":
    raise SystemExit(main())
