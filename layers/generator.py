"""Turn a model description (layers/models/*.toml) into a Blender scene of named car parts.

Everything is built from numbers in the description: lofted superellipse sections for the body,
a rounded glasshouse whose regions (windscreen, pillars, windows) are sorted by where they are,
lathed tyres and rims, decals projected onto the panels. There is no per-model code: a new model
is a new description (see layers/README.md).

`build(description)` returns a `Car`: part name -> objects, plus which parts make the body, which
make the glass layer and how each option id is drawn. layers/render.py decides what is visible when.
"""

from __future__ import annotations

import copy
import math
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

import bmesh
import bpy
import numpy as np
from mathutils import Matrix, Vector
from mathutils.bvhtree import BVHTree

# ---------------------------------------------------------------- descriptions


def load_description(path: Path) -> dict:
    """A description with its `base` chain merged underneath (tables merge, other values replace)."""
    data = tomllib.loads(path.read_text())
    base = data.pop("base", None)
    if base is None:
        return data
    return _merge(load_description(path.parent / base), data)


def _merge(under: dict, over: dict) -> dict:
    merged = copy.deepcopy(under)
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = copy.deepcopy(value)
    return merged


# ---------------------------------------------------------------- the result


@dataclass
class Car:
    """The built car: parts by name, and how the layers use them."""

    parts: dict[str, list[bpy.types.Object]] = field(default_factory=dict)
    body: list[str] = field(default_factory=list)  # parts drawn in the body layers
    glass: list[str] = field(default_factory=list)  # parts drawn in the glass layer
    hidden: list[str] = field(default_factory=list)  # parts that only light the scene in the body render
    options: dict[str, str] = field(default_factory=dict)  # option id -> part
    replaces: dict[str, str] = field(default_factory=dict)  # option id -> body part it stands in for
    materials: Materials | None = None

    def add(self, part: str, obj: bpy.types.Object) -> bpy.types.Object:
        self.parts.setdefault(part, []).append(obj)
        return obj

    def objects(self, parts) -> list[bpy.types.Object]:
        return [obj for part in parts for obj in self.parts.get(part, [])]

    @property
    def all_objects(self) -> list[bpy.types.Object]:
        return [obj for objs in self.parts.values() for obj in objs]


# ---------------------------------------------------------------- materials


def srgb_to_linear(value: float) -> float:
    return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4


def hex_linear(hex_colour: str) -> tuple[float, float, float, float]:
    return (*(srgb_to_linear(int(hex_colour[i : i + 2], 16) / 255) for i in (1, 3, 5)), 1.0)


class Materials:
    """One Blender material per finish name, made on first use."""

    def __init__(self, finishes: dict) -> None:
        self.finishes = finishes
        self._made: dict[str, bpy.types.Material] = {}

    def __call__(self, name: str) -> bpy.types.Material:
        if name not in self._made:
            spec = self.finishes[name]
            self._made[name] = _glass_material(name, spec) if spec.get("glass") else _principled(name, spec)
        return self._made[name]

    def set_paint(self, hex_colour: str) -> None:
        """Recolour the paint finish (the colour benchmark renders real paints with it)."""
        self("paint").node_tree.nodes["Principled BSDF"].inputs["Base Color"].default_value = hex_linear(hex_colour)


def _principled(name: str, spec: dict) -> bpy.types.Material:
    mat = bpy.data.materials.new(name)
    mat.use_nodes = True
    nodes, links = mat.node_tree.nodes, mat.node_tree.links
    bsdf = nodes["Principled BSDF"]
    bsdf.inputs["Base Color"].default_value = hex_linear(spec["colour"])
    bsdf.inputs["Metallic"].default_value = spec.get("metallic", 0.0)
    bsdf.inputs["Roughness"].default_value = spec.get("roughness", 0.5)
    bsdf.inputs["Coat Weight"].default_value = spec.get("coat", 0.0)
    bsdf.inputs["Coat Roughness"].default_value = spec.get("coat_roughness", 0.03)
    bsdf.inputs["Sheen Weight"].default_value = spec.get("sheen", 0.0)
    bsdf.inputs["Specular IOR Level"].default_value = spec.get("specular", 0.5)
    if spec.get("emission"):
        bsdf.inputs["Emission Color"].default_value = hex_linear(spec["colour"])
        bsdf.inputs["Emission Strength"].default_value = spec["emission"]
    if "colour2" in spec:  # a chequer in object space, squares `chequer` metres wide, flat in z
        coords = nodes.new("ShaderNodeTexCoord")
        flat = nodes.new("ShaderNodeMapping")
        flat.inputs["Scale"].default_value = (1.0, 1.0, 0.0)
        checker = nodes.new("ShaderNodeTexChecker")
        checker.inputs["Scale"].default_value = 1.0 / spec["chequer"]
        checker.inputs["Color1"].default_value = hex_linear(spec["colour"])
        checker.inputs["Color2"].default_value = hex_linear(spec["colour2"])
        links.new(coords.outputs["Object"], flat.inputs["Vector"])
        links.new(flat.outputs["Vector"], checker.inputs["Vector"])
        links.new(checker.outputs["Color"], bsdf.inputs["Base Color"])
    if spec.get("paint"):  # the paint mask: an AOV that is 1 wherever the camera sees paint
        aov = nodes.new("ShaderNodeOutputAOV")
        aov.aov_name = "paint"
        aov.inputs["Value"].default_value = 1.0
    return mat


def _glass_material(name: str, spec: dict) -> bpy.types.Material:
    """Thin glass: see-through (so shadows and holdouts pass), a little darkening, Fresnel reflections."""
    mat = bpy.data.materials.new(name)
    mat.use_nodes = True
    nodes, links = mat.node_tree.nodes, mat.node_tree.links
    nodes.remove(nodes["Principled BSDF"])
    out = nodes["Material Output"]
    clear = nodes.new("ShaderNodeBsdfTransparent")
    tint = nodes.new("ShaderNodeBsdfDiffuse")
    tint.inputs["Color"].default_value = hex_linear(spec["colour"])
    body = nodes.new("ShaderNodeMixShader")
    body.inputs["Fac"].default_value = spec.get("darken", 0.2)
    links.new(clear.outputs[0], body.inputs[1])
    links.new(tint.outputs[0], body.inputs[2])
    gloss = nodes.new("ShaderNodeBsdfGlossy")
    gloss.inputs["Roughness"].default_value = 0.02
    fresnel = nodes.new("ShaderNodeFresnel")
    fresnel.inputs["IOR"].default_value = 1.5
    mix = nodes.new("ShaderNodeMixShader")
    links.new(fresnel.outputs[0], mix.inputs["Fac"])
    links.new(body.outputs[0], mix.inputs[1])
    links.new(gloss.outputs[0], mix.inputs[2])
    links.new(mix.outputs[0], out.inputs["Surface"])
    return mat


# ---------------------------------------------------------------- mesh helpers


def _spow(values, power):
    return np.sign(values) * np.abs(values) ** power


def superellipse(n: int, a: float, b: float, exponent: float, *, dense: int = 4000) -> tuple[np.ndarray, np.ndarray]:
    """n points of |x/a|^e + |y/b|^e = 1, evenly spaced by arc length, starting at (+a, 0), anticlockwise."""
    t = np.linspace(0, 2 * math.pi, dense, endpoint=False)
    pts = np.stack([a * _spow(np.cos(t), 2 / exponent), b * _spow(np.sin(t), 2 / exponent)], axis=1)
    closed = np.vstack([pts, pts[:1]])
    seg = np.linalg.norm(np.diff(closed, axis=0), axis=1)
    arc = np.concatenate([[0], np.cumsum(seg)])
    targets = np.linspace(0, arc[-1], n, endpoint=False)
    x = np.interp(targets, arc, closed[:, 0])
    y = np.interp(targets, arc, closed[:, 1])
    return np.stack([x, y], axis=1), targets


def smooth_interp(xs_out: np.ndarray, xs: np.ndarray, ys: np.ndarray) -> np.ndarray:
    """Monotone cubic (Fritsch-Carlson) interpolation: smooth curves through the stations, no overshoot."""
    order = np.argsort(xs)
    xs, ys = np.asarray(xs, float)[order], np.asarray(ys, float)[order]
    h = np.diff(xs)
    delta = np.diff(ys) / h
    m = np.zeros_like(ys)
    m[0], m[-1] = delta[0], delta[-1]
    for i in range(1, len(xs) - 1):
        if delta[i - 1] * delta[i] > 0:
            w1, w2 = 2 * h[i] + h[i - 1], h[i] + 2 * h[i - 1]
            m[i] = (w1 + w2) / (w1 / delta[i - 1] + w2 / delta[i])
    idx = np.clip(np.searchsorted(xs, xs_out) - 1, 0, len(xs) - 2)
    t = (xs_out - xs[idx]) / h[idx]
    h00, h10 = 2 * t**3 - 3 * t**2 + 1, t**3 - 2 * t**2 + t
    h01, h11 = -2 * t**3 + 3 * t**2, t**3 - t**2
    return h00 * ys[idx] + h10 * h[idx] * m[idx] + h01 * ys[idx + 1] + h11 * h[idx] * m[idx + 1]


def mesh_object(name, verts, faces, material, *, smooth=True, subsurf=0, link=True, outward=False) -> bpy.types.Object:
    mesh = bpy.data.meshes.new(name)
    mesh.from_pydata([tuple(map(float, v)) for v in verts], [], [tuple(map(int, f)) for f in faces])
    mesh.validate()
    if outward:  # closed solids must face out, or booleans and reflections go wrong
        bm = bmesh.new()
        bm.from_mesh(mesh)
        bmesh.ops.recalc_face_normals(bm, faces=bm.faces)
        bm.to_mesh(mesh)
        bm.free()
    if smooth:
        mesh.shade_smooth()
    obj = bpy.data.objects.new(name, mesh)
    if material is not None:
        obj.data.materials.append(material)
    if subsurf:
        mod = obj.modifiers.new("subsurf", "SUBSURF")
        mod.levels = mod.render_levels = subsurf
    if link:
        bpy.context.scene.collection.objects.link(obj)
    return obj


def grid_faces(rows: int, cols: int, *, wrap: bool) -> list[tuple[int, int, int, int]]:
    """Quads of a rows x cols vertex grid (row-major); `wrap` closes each row into a ring."""
    faces = []
    last = cols if wrap else cols - 1
    for r in range(rows - 1):
        for c in range(last):
            c2 = (c + 1) % cols
            faces.append((r * cols + c, r * cols + c2, (r + 1) * cols + c2, (r + 1) * cols + c))
    return faces


def loft(name, rings: np.ndarray, material, *, cap_start=None, cap_end=None, subsurf=2, smooth=True):
    """A surface through rings (R x N x 3), optionally closed at each end by a fan to a point."""
    rows, cols = rings.shape[:2]
    verts = list(rings.reshape(-1, 3))
    faces = grid_faces(rows, cols, wrap=True)
    for cap, row, flip in ((cap_start, 0, True), (cap_end, rows - 1, False)):
        if cap is None:
            continue
        centre = len(verts)
        verts.append(np.asarray(cap))
        for c in range(cols):
            a, b = row * cols + c, row * cols + (c + 1) % cols
            faces.append((a, b, centre) if flip else (b, a, centre))
    closed = cap_start is not None and cap_end is not None
    return mesh_object(name, verts, faces, material, smooth=smooth, subsurf=subsurf, outward=closed)


def lathe(name, profile: np.ndarray, material, *, segments=96, arc=(0.0, 2 * math.pi), closed=False, subsurf=0):
    """Revolve a (radius, y) profile about the y axis (the axle). Angle 0 points forward (+x)."""
    full = math.isclose(arc[1] - arc[0], 2 * math.pi)
    angles = np.linspace(arc[0], arc[1], segments, endpoint=not full)
    rings = []
    for ang in angles:
        r, y = profile[:, 0], profile[:, 1]
        rings.append(np.stack([r * math.cos(ang), y, r * math.sin(ang)], axis=1))
    rings = np.array(rings)  # segments x P x 3
    rows, cols = rings.shape[:2]
    verts = list(rings.reshape(-1, 3))
    faces = []
    for s in range(rows if full else rows - 1):
        s2 = (s + 1) % rows
        for p in range(cols if closed else cols - 1):
            p2 = (p + 1) % cols
            faces.append((s * cols + p, s * cols + p2, s2 * cols + p2, s2 * cols + p))
    return mesh_object(name, verts, faces, material, subsurf=subsurf, outward=closed and full)


def rounded_box(name, size, material, *, bevel=0.02, subsurf=2, at=(0, 0, 0), rot=(0, 0, 0)) -> bpy.types.Object:
    mesh = bpy.data.meshes.new(name)
    bm = bmesh.new()
    bmesh.ops.create_cube(bm, size=1.0)
    bmesh.ops.scale(bm, vec=Vector(size), verts=bm.verts)
    bm.to_mesh(mesh)
    bm.free()
    mesh.shade_smooth()
    obj = bpy.data.objects.new(name, mesh)
    obj.data.materials.append(material)
    mod = obj.modifiers.new("bevel", "BEVEL")
    mod.width, mod.segments = bevel, 2
    if subsurf:
        sub = obj.modifiers.new("subsurf", "SUBSURF")
        sub.levels = sub.render_levels = subsurf
    obj.location = at
    obj.rotation_euler = rot
    bpy.context.scene.collection.objects.link(obj)
    return obj


def disc_profile(radius: float, thickness: float, *, bevel: float = 0.004) -> np.ndarray:
    """A (radius, y) profile of a coin: flat back at y=0, front at y=thickness, rounded edge."""
    b = min(bevel, thickness / 2, radius / 2)
    return np.array(
        [[0, 0], [radius - b, 0], [radius, b], [radius, thickness - b], [radius - b, thickness], [0, thickness]]
    )


def bake(obj: bpy.types.Object) -> bpy.types.Object:
    """Apply the modifier stack (so booleans and raycasts see the final surface once)."""
    depsgraph = bpy.context.evaluated_depsgraph_get()
    evaluated = obj.evaluated_get(depsgraph)
    mesh = bpy.data.meshes.new_from_object(evaluated)
    old = obj.data
    obj.modifiers.clear()
    obj.data = mesh
    bpy.data.meshes.remove(old)
    return obj


def place(obj: bpy.types.Object, point: Vector, normal: Vector, *, spin: float = 0.0) -> bpy.types.Object:
    """Put an object built around +y (its 'out' axis) at `point`, facing along `normal`."""
    align = Vector((0, 1, 0)).rotation_difference(normal.normalized()).to_matrix().to_4x4()
    obj.matrix_world = Matrix.Translation(point) @ align @ Matrix.Rotation(spin, 4, "Y")
    return obj


# ---------------------------------------------------------------- the builder


class Builder:
    def __init__(self, desc: dict) -> None:
        self.d = desc
        self.mat = Materials(desc["finishes"])
        self.car = Car(materials=self.mat)
        body = desc["body"]
        st = np.array(sorted(body["stations"], key=lambda s: -s[0]), float)
        self.stations = st
        self.x_front, self.x_rear = st[0, 0], st[-1, 0]

    # --- body sections -------------------------------------------------------------
    def section(self, x):
        """(underside z, top z, half width) at x, from the stations."""
        st = self.stations
        x = np.clip(np.asarray(x, float), self.x_rear, self.x_front)
        return tuple(smooth_interp(np.atleast_1d(x), st[:, 0], st[:, i]) for i in (1, 2, 3))

    def section_ring(self, x: float, n: int) -> np.ndarray:
        zb, zt, hw = (v[0] for v in self.section(x))
        zc, hh = (zb + zt) / 2, (zt - zb) / 2
        phi = np.linspace(-math.pi / 2, 3 * math.pi / 2, n, endpoint=False)
        s = np.sin(phi)
        e = np.where(s >= 0, self.d["body"]["top_exponent"], self.d["body"]["bottom_exponent"])
        y = hw * np.sign(np.cos(phi)) * np.abs(np.cos(phi)) ** (2 / e)
        z = zc + hh * np.sign(s) * np.abs(s) ** (2 / e)
        return np.stack([np.full(n, x), y, z], axis=1)

    def half_width_at(self, x: float, z: float) -> float:
        zb, zt, hw = (v[0] for v in self.section(x))
        zc, hh = (zb + zt) / 2, (zt - zb) / 2
        e = self.d["body"]["top_exponent"] if z >= zc else self.d["body"]["bottom_exponent"]
        u = min(abs(z - zc) / hh, 0.999)
        return hw * (1 - u**e) ** (1 / e)

    def wheel_centres(self) -> list[tuple[float, float, float, int]]:
        b = self.d["body"]
        out = []
        for ax in (1, -1):
            for side in (1, -1):
                out.append((b["wheel_x"] + ax * b["wheelbase"] / 2, side * b["track"] / 2, b["wheel_radius"], side))
        return out

    # --- build --------------------------------------------------------------------------
    def build(self) -> Car:
        car, d = self.car, self.d
        self.shell = self.build_shell()
        self.build_cabin()
        self.build_interior()
        self.bvh_shell = self._bvh(self.shell)
        self.build_arch_trims()
        self.build_lamps()
        self.build_grille()
        self.build_bumpers()
        self.build_mirrors()
        self.build_details()
        roof_targets = [self.shell] + ([self.roof_obj] if d["cabin"]["roof_slab"].get("in_body") else [])
        self.decal_targets = [self._bvh(o) for o in roof_targets]
        # every option's part is built once per design/finish it needs
        for option_id, spec in d["options"].items():
            self.build_option(option_id, spec)
        default_wheel = next(iter(d["wheels"]))
        car.hidden.append(self.wheel_part(default_wheel))
        self.freeze()
        return car

    def freeze(self) -> None:
        """Apply every modifier and turn curves into meshes: each render builds a fresh render depsgraph,
        and re-evaluating hundreds of subdivision and bevel modifiers every time costs more than sampling."""
        for part, objs in self.car.parts.items():
            frozen = []
            for obj in objs:
                if obj.type == "CURVE":
                    depsgraph = bpy.context.evaluated_depsgraph_get()
                    mesh = bpy.data.meshes.new_from_object(obj.evaluated_get(depsgraph))
                    solid = bpy.data.objects.new(obj.name, mesh)
                    solid.matrix_world = obj.matrix_world
                    bpy.context.scene.collection.objects.link(solid)
                    bpy.data.objects.remove(obj)
                    obj = solid
                elif obj.modifiers:
                    bake(obj)
                frozen.append(obj)
            self.car.parts[part] = frozen

    def _bvh(self, obj):
        depsgraph = bpy.context.evaluated_depsgraph_get()
        return BVHTree.FromObject(obj, depsgraph)

    def cast(self, origin, direction, targets=None):
        """Nearest hit (point, normal) of a ray against the body shell (or given BVH trees)."""
        best = None
        for tree in targets or [self.bvh_shell]:
            loc, nrm, _i, dist = tree.ray_cast(Vector(origin), Vector(direction).normalized())
            if loc is not None and (best is None or dist < best[2]):
                best = (loc, nrm, dist)
        return (best[0], best[1]) if best else (None, None)

    def build_shell(self) -> bpy.types.Object:
        b = self.d["body"]
        u = np.linspace(0, 1, 44)
        xs = self.x_front + (self.x_rear - self.x_front) * (0.5 - 0.5 * np.cos(math.pi * u))  # denser at the ends
        rings = np.array([self.section_ring(x, 56) for x in xs])
        front_cap = rings[0].mean(axis=0) + np.array([0.006, 0, 0])
        rear_cap = rings[-1].mean(axis=0) - np.array([0.006, 0, 0])
        shell = loft("shell", rings, self.mat("paint"), cap_start=front_cap, cap_end=rear_cap, subsurf=2)
        # wheel arches and the open cockpit are boolean cuts; their walls take the cutter's finish
        cutters = []
        for x, y, z, side in self.wheel_centres():
            prof = np.array([[0, 0], [b["arch_radius"], 0], [b["arch_radius"], 0.7], [0, 0.7]])
            cut = lathe("arch-cut", prof, self.mat(b["arch_trim"]), segments=48, closed=True)
            cut.location = (x, side * (abs(y) - 0.10), z + 0.01)
            cut.rotation_euler = (0, 0, 0 if side > 0 else math.pi)
            cutters.append(cut)
        ck = b["cockpit"]
        ring, _ = superellipse(64, (ck["front"] - ck["rear"]) / 2, ck["half_width"], 4.0)
        ring[:, 0] += (ck["front"] + ck["rear"]) / 2
        rings = np.array([np.c_[ring, np.full(len(ring), z)] for z in (ck["floor"], 3.0)])
        centre = ring.mean(axis=0)
        cockpit = loft(
            "cockpit-cut", rings, self.mat("interior"), cap_start=(*centre, ck["floor"]), cap_end=(*centre, 3.0),
            subsurf=0, smooth=False,
        )
        cutters.append(cockpit)
        for cutter in cutters:
            bake(cutter)
            mod = shell.modifiers.new("cut", "BOOLEAN")
            mod.operation, mod.object, mod.solver = "DIFFERENCE", cutter, "EXACT"
            mod.material_mode = "TRANSFER"
            cutter.hide_render = cutter.hide_viewport = True
        bake(shell)
        shell.data.set_sharp_from_angle(angle=math.radians(50))
        for cutter in cutters:
            bpy.data.objects.remove(cutter)
        self.car.add("shell", shell)
        self.car.body.append("shell")
        return shell

    # --- cabin (glasshouse) --------------------------------------------------------
    def cabin_rings(self, lift: float = 0.0, levels: int = 16):
        """Rings of the glasshouse from just under the belt to the roof: (rings, arc positions, corners)."""
        c = self.d["cabin"]
        z0, z1 = c["belt_z"], c["roof_z"]
        zs = np.linspace(z0 - 0.04, z1, levels)
        rings, arcs, corners = [], [], []
        for z in zs:
            u = float(np.clip((z - z0) / (z1 - z0), 0, 1))
            front = c["belt"]["front"] + (c["roof"]["front"] - c["belt"]["front"]) * u + 0.03 * math.sin(math.pi * u)
            rear = c["belt"]["rear"] + (c["roof"]["rear"] - c["belt"]["rear"]) * u - 0.015 * math.sin(math.pi * u)
            hw = c["belt"]["half_width"] + (c["roof"]["half_width"] - c["belt"]["half_width"]) * u ** 1.3
            pts, arc = superellipse(200, (front - rear) / 2 + lift, hw + lift, c["exponent"])
            pts[:, 0] += (front + rear) / 2
            perimeter = arc[-1] + np.linalg.norm(pts[-1] - pts[0])
            signed = np.where(arc <= perimeter / 2, arc, arc - perimeter)  # + on the +y side
            rings.append(np.c_[pts, np.full(len(pts), z)])
            arcs.append(signed)
            corners.append(self._corners(pts, arc))
        return np.array(rings), np.array(arcs), corners

    @staticmethod
    def _corners(pts, arc):
        """Arc positions (on the +y half) where the outline turns 45 deg and 135 deg from forward."""
        tangent = np.roll(pts, -1, axis=0) - np.roll(pts, 1, axis=0)
        normal_angle = np.degrees(np.arctan2(-tangent[:, 0], tangent[:, 1]))  # 0 = facing +x
        half = len(pts) // 2
        ang = np.abs(normal_angle[: half + 1])
        ang = np.maximum.accumulate(ang)
        return float(np.interp(45, ang, arc[: half + 1])), float(np.interp(135, ang, arc[: half + 1]))

    def classify(self, rings, arcs, corners) -> np.ndarray:
        """Region name of each cell (levels-1 x n) of the glasshouse grid."""
        c = self.d["cabin"]
        levels, n = arcs.shape
        regions = np.empty((levels - 1, n), dtype=object)
        for k in range(levels - 1):
            s_a, s_c = corners[k]
            for j in range(n):
                j2 = (j + 1) % n
                s = abs((arcs[k, j] + arcs[k, j2]) / 2) if abs(arcs[k, j] - arcs[k, j2]) < 1 else abs(arcs[k, j])
                x = (rings[k, j, 0] + rings[k, j2, 0]) / 2
                z = (rings[k, j, 2] + rings[k + 1, j, 2]) / 2
                if s < s_a - c["pillar_a"] / 2:
                    region = "header" if z > c["roof_z"] - c["header"] else "windscreen"
                elif s <= s_a + c["pillar_a"] / 2:
                    region = "pillar_a"
                elif s > s_c + c["pillar_c_rear"]:
                    region = "rear_window"
                elif s >= s_c - c["pillar_c"]:
                    region = "pillar_c"
                elif abs(x - c["pillar_b"]["x"]) < c["pillar_b"]["width"] / 2:
                    region = "pillar_b"
                else:
                    region = "side_window"
                regions[k, j] = region
        return regions

    def cabin_surface(self, name, regions_wanted, material, *, lift=0.0, thickness=0.0, part=None):
        rings, arcs, corners = self.cabin_rings(lift)
        regions = self.classify(rings, arcs, corners)
        levels, n = arcs.shape
        faces = []
        for k in range(levels - 1):
            for j in range(n):
                if regions[k, j] in regions_wanted:
                    j2 = (j + 1) % n
                    faces.append((k * n + j, k * n + j2, (k + 1) * n + j2, (k + 1) * n + j))
        if not faces:
            return None
        obj = mesh_object(name, rings.reshape(-1, 3), faces, material)
        if thickness:
            mod = obj.modifiers.new("solid", "SOLIDIFY")
            mod.thickness, mod.offset = thickness, 1.0
        if part:
            self.car.add(part, obj)
        return obj

    def roof_slab(self, name, material, *, ripple_bows=0) -> bpy.types.Object:
        c = self.d["cabin"]
        slab = c["roof_slab"]
        rings, _arcs, _ = self.cabin_rings(lift=slab["overhang"], levels=16)
        top = rings[-1][:, :2]
        centre = top.mean(axis=0)
        z0 = c["roof_z"] - 0.02
        out = []
        profile = [(1.0, z0 - 0.012), (1.0, z0 + slab["thickness"] * 0.55), (0.975, z0 + slab["thickness"])]
        for s in (0.9, 0.75, 0.55, 0.3, 0.0):
            profile.append((s, z0 + slab["thickness"] + slab["dome"] * (1 - s**2)))
        for scale, z in profile:
            ring = centre + (top - centre) * scale
            out.append(np.c_[ring, np.full(len(ring), z)])
        rings = np.array(out)
        if ripple_bows:  # fabric sags a little between the hood bows
            xs = rings[..., 0]
            x0, x1 = xs.min(), xs.max()
            sag = 0.008 * np.abs(np.sin(ripple_bows * math.pi * (xs - x0) / (x1 - x0)))
            rings[2:, :, 2] -= sag[2:]
        bottom = (*centre, z0 - 0.03)
        return loft(name, rings, material, cap_start=bottom, subsurf=2)

    def build_cabin(self) -> None:
        c = self.d["cabin"]
        car = self.car
        self.cabin_surface("cabin-body", c["body"], self.mat("paint"), lift=0.004, thickness=0.012, part="cabin")
        car.body.append("cabin")
        self.cabin_surface("cabin-glass", c["glass"], self.mat("glass"), part="glass")
        car.glass.append("glass")
        self.roof_obj = self.roof_slab("roof", self.mat("paint"))
        if c["roof_slab"].get("in_body"):
            car.add("roof", self.roof_obj)
            car.body.append("roof")
        else:
            bpy.data.objects.remove(self.roof_obj)
            self.roof_obj = None
        # a bright strip along the belt, where the glasshouse meets the body
        rings, _, _ = self.cabin_rings(lift=0.012, levels=16)
        belt = rings[2]
        belt[:, 2] = c["belt_z"] + 0.008
        self.tube("belt-trim", belt, 0.007, self.mat("chrome"), closed=True, part="trim")
        car.body.append("trim")

    def tube(self, name, points, radius, material, *, closed=False, part=None) -> bpy.types.Object:
        curve = bpy.data.curves.new(name, "CURVE")
        curve.dimensions = "3D"
        curve.bevel_depth = radius
        curve.bevel_resolution = 3
        curve.use_fill_caps = True
        spline = curve.splines.new("POLY")
        spline.points.add(len(points) - 1)
        for p, co in zip(spline.points, points, strict=True):
            p.co = (*map(float, co), 1.0)
        spline.use_cyclic_u = closed
        obj = bpy.data.objects.new(name, curve)
        obj.data.materials.append(material)
        bpy.context.scene.collection.objects.link(obj)
        if part:
            self.car.add(part, obj)
        return obj

    # --- interior --------------------------------------------------------------------
    def build_interior(self) -> None:
        ck = self.d["body"]["cockpit"]
        leather, dark = self.mat("leather"), self.mat("interior")
        floor = ck["floor"]
        span = ck["front"] - ck["rear"]
        front_x = ck["rear"] + span * 0.55
        rear_x = ck["rear"] + span * 0.12
        seat_y = ck["half_width"] * 0.5
        parts = []
        for y in (-seat_y, seat_y):
            parts.append(rounded_box("seat", (0.46, 0.44, 0.12), leather, at=(front_x, y, floor + 0.14)))
            parts.append(
                rounded_box("seat-back", (0.12, 0.44, 0.52), leather, at=(front_x - 0.25, y, floor + 0.44),
                            rot=(0, math.radians(-14), 0))
            )
            parts.append(rounded_box("headrest", (0.09, 0.26, 0.15), leather, at=(front_x - 0.33, y, floor + 0.78),
                                     rot=(0, math.radians(-12), 0)))
        width = ck["half_width"] * 1.7
        parts.append(rounded_box("bench", (0.42, width, 0.12), leather, at=(rear_x + 0.1, 0, floor + 0.12)))
        parts.append(rounded_box("bench-back", (0.12, width, 0.44), leather, at=(rear_x - 0.12, 0, floor + 0.38),
                                 rot=(0, math.radians(-10), 0)))
        dash_x = ck["front"] - 0.02
        parts.append(rounded_box("dash", (0.3, ck["half_width"] * 2.1, 0.16), dark, at=(dash_x, 0, 0.86)))
        wheel = lathe("steering-wheel", _torus_profile(0.17, 0.014), dark, segments=48, closed=True)
        wheel.location = (dash_x - 0.3, -seat_y, 1.0)
        wheel.rotation_euler = (math.radians(0), math.radians(-60), math.radians(90))
        parts.append(wheel)
        dial = lathe("speedo", _torus_profile(0.08, 0.01), self.mat("chrome"), segments=48, closed=True)
        dial.location = (dash_x - 0.15, 0, 0.95)
        dial.rotation_euler = (0, math.radians(-60), math.radians(90))
        parts.append(dial)
        for obj in parts:
            self.car.add("interior", obj)
        self.car.body.append("interior")

    # --- arches, lamps, grille, bumpers, mirrors, details -------------------------
    def build_arch_trims(self) -> None:
        b = self.d["body"]
        r0 = b["arch_radius"]
        for x, _y, z, side in self.wheel_centres():
            pts_out = []
            angles = np.linspace(math.radians(-12), math.radians(192), 60)
            for ang in angles:
                px, pz = x + r0 * math.cos(ang), z + 0.01 + r0 * math.sin(ang)
                y = self.half_width_at(px, max(pz, 0.25))
                pts_out.append((px, side * (y + 0.012), pz))
            self.tube("arch-trim", np.array(pts_out), 0.022, self.mat(b["arch_trim"]), part="trim")

    def on_surface(self, x_dir: int, y: float, z: float):
        """Where a ray along -x (nose, x_dir=+1) or +x (tail, x_dir=-1) first meets the shell."""
        return self.cast((x_dir * 3.0, y, z), (-x_dir, 0, 0))

    def on_side(self, x: float, z: float, side: int):
        return self.cast((x, side * 3.0, z), (0, -side, 0))

    def build_lamps(self) -> None:
        lamps = self.d["lamps"]
        car = self.car
        paint, chrome, lens = self.mat("paint"), self.mat("chrome"), self.mat("lens")
        head = lamps["head"]
        r = head["radius"]
        for side in (1, -1):
            point, normal = self.on_surface(1, side * head["y"], head["z"])
            normal = (normal + Vector((1.2, 0, 0))).normalized()  # the eyes look ahead
            pod = lathe("lamp-pod", np.array([[0, -0.05], [r + 0.03, -0.05], [r + 0.03, 0.02], [r + 0.012, 0.045],
                                              [0, 0.045]]), paint, segments=48, subsurf=1)
            car.add("shell", place(pod, point, normal))
            bezel = lathe("lamp-bezel", _torus_profile(r + 0.006, 0.011, y=0.05), chrome, segments=48, closed=True)
            car.add("trim", place(bezel, point, normal))
            refl = lathe("lamp-reflector", np.array([[0, 0.02], [r * 0.4, 0.028], [r, 0.048]]), chrome, segments=48)
            car.add("trim", place(refl, point, normal))
            bulb = lathe("lamp-bulb", _dome_profile(0.018, 0.02, y=0.03), self.mat("lamp-glow"), segments=24)
            car.add("trim", place(bulb, point, normal))
            cap = lathe("lamp-lens", _dome_profile(r, 0.028, y=0.05), lens, segments=48)
            car.add("glass", place(cap, point, normal))
            # indicator under each eye
            ind = lamps["indicator"]
            p2, n2 = self.on_surface(1, side * ind["y"], ind["z"])
            lamp = lathe("indicator", _dome_profile(ind["radius"], 0.015, y=0.0), self.mat("amber"), segments=32)
            car.add("trim", place(lamp, p2, n2))
            ring = lathe("indicator-ring", _torus_profile(ind["radius"] + 0.003, 0.005), chrome, segments=32,
                         closed=True)
            car.add("trim", place(ring, p2, n2))
            # tail lamps: upright rounded lenses on the tail
            tail = lamps["tail"]
            p3, n3 = self.on_surface(-1, side * tail["y"], tail["z"])
            outline, _ = superellipse(48, tail["width"] / 2, tail["height"] / 2, 3.5)
            rings = []
            for scale, out in ((1.0, -0.02), (1.0, 0.012), (0.92, 0.02), (0.0, 0.024)):
                rings.append(np.c_[outline[:, 0] * scale, np.full(len(outline), out), outline[:, 1] * scale])
            tl = loft("tail-lamp", np.array(rings)[:-1], self.mat("tail-red"), cap_end=(0, 0.024, 0), subsurf=1)
            car.add("trim", place(tl, p3, n3))
            surround = self.tube("tail-surround", np.c_[outline[:, 0] * 1.05, np.full(len(outline), 0.01),
                                                        outline[:, 1] * 1.04], 0.006, chrome, closed=True)
            car.add("trim", place(surround, p3, n3))

    def build_grille(self) -> None:
        g = self.d["grille"]
        point, normal = self.on_surface(1, 0.0, g["z"])
        outline, _ = superellipse(64, g["width"] / 2, g["height"] / 2, 3.2)
        rings = [np.c_[outline[:, 0], np.full(len(outline), -0.03), outline[:, 1]],
                 np.c_[outline[:, 0], np.full(len(outline), 0.008), outline[:, 1]]]
        plate = loft("grille", np.array(rings), self.mat("grille-dark"), cap_end=(0, 0.008, 0), subsurf=0)
        self.car.add("trim", place(plate, point, normal))
        frame = self.tube("grille-frame", np.c_[outline[:, 0], np.full(len(outline), 0.012), outline[:, 1]],
                          0.01, self.mat("chrome"), closed=True)
        self.car.add("trim", place(frame, point, normal))
        for i in range(g["bars"]):
            z = (i + 1) / (g["bars"] + 1) * g["height"] - g["height"] / 2
            half = g["width"] / 2 * (1 - abs(2 * z / g["height"]) ** 3.2) ** (1 / 3.2) - 0.01
            bar = self.tube("grille-bar", np.array([(-half, 0.014, z), (half, 0.014, z)]), 0.0045, self.mat("chrome"))
            self.car.add("trim", place(bar, point, normal))

    def build_bumpers(self) -> None:
        bp = self.d["bumpers"]
        for end, z in ((1, bp["front_z"]), (-1, bp["rear_z"])):
            pts = []
            centre_x = end * (abs(self.x_front if end > 0 else self.x_rear) - 0.7)
            for ang in np.linspace(-80, 80, 41):
                a = math.radians(ang)
                direction = Vector((end * math.cos(a), math.sin(a), 0))
                hit, nrm = self.cast((centre_x, 0, z), direction)
                if hit is None or abs(hit.y) > bp["reach"]:
                    continue
                flat = Vector((nrm.x, nrm.y, 0)).normalized()
                pts.append(hit + flat * 0.03)
            self.tube("bumper", np.array(pts), 0.028, self.mat("chrome"), part="trim")

    def build_mirrors(self) -> None:
        m = self.d["mirrors"]
        sx, sy, sz = m["size"]
        for side in (1, -1):
            point, _ = self.on_side(m["x"], self.d["cabin"]["belt_z"] - 0.04, side)
            centre = point + Vector((0, side * m["reach"], m["z"] - point.z))
            housing = rounded_box("mirror-cap", (sx * 0.7, sy, sz), self.mat("paint"), bevel=0.03,
                                  at=centre, rot=(0, 0, 0))
            self.car.add("mirror_caps", housing)
            glass = rounded_box("mirror-glass", (0.006, sy * 0.85, sz * 0.8), self.mat("chrome"), bevel=0.002,
                                subsurf=1, at=centre - Vector((sx * 0.36, 0, 0)))
            self.car.add("trim", glass)
            stalk = self.tube("mirror-stalk", np.array([tuple(point + Vector((0.03, 0, 0))),
                                                          tuple(centre - Vector((0, side * sy * 0.4, 0.02)))]),
                              0.012, self.mat("black-plastic"))
            self.car.add("trim", stalk)
        self.car.body.append("mirror_caps")

    def build_details(self) -> None:
        """Door handles and shut lines: small things that make it read as a car."""
        cab = self.d["cabin"]
        chrome, dark = self.mat("chrome"), self.mat("grille-dark")
        door_front = cab["belt"]["front"] - 0.12
        door_rear = cab["pillar_b"]["x"] - 0.05
        for side in (1, -1):
            p, n = self.on_side(door_rear + 0.12, cab["belt_z"] - 0.12, side)
            handle = rounded_box("door-handle", (0.11, 0.02, 0.022), chrome, bevel=0.008, subsurf=1)
            self.car.add("trim", place(handle, p + n * 0.008, n, spin=0))
            handle.rotation_euler = (0, 0, 0)
            handle.location = p + n * 0.008
            for x in (door_front, door_rear):
                line = [self.on_side(x + 0.02 * (z - 0.5), z, side) for z in np.linspace(0.3, cab["belt_z"] - 0.04, 16)]
                pts = [hit + nrm * 0.0005 for hit, nrm in line if hit is not None]
                self.tube("shut-line", np.array(pts), 0.0028, dark, part="trim")
            bottom = [self.on_side(x, 0.3, side) for x in np.linspace(door_rear, door_front, 20)]
            pts = [hit + nrm * 0.0005 for hit, nrm in bottom if hit is not None]
            self.tube("shut-line", np.array(pts), 0.0028, dark, part="trim")
        boot = self.d.get("boot")
        if boot:  # the tailgate's shut line and its chrome handle, projected onto the tail
            half_h = (boot["top"] - boot["bottom"]) / 2
            outline, _ = superellipse(72, boot["half_width"], half_h, 5.0)
            hits = [self.on_surface(-1, y, boot["bottom"] + half_h + z) for y, z in outline]
            pts = [hit + nrm * 0.0005 for hit, nrm in hits if hit is not None]
            self.tube("boot-line", np.array(pts), 0.0028, dark, closed=True, part="trim")
            p, n = self.on_surface(-1, 0.0, boot["bottom"] + 0.09)
            handle = rounded_box("boot-handle", (0.16, 0.025, 0.03), chrome, bevel=0.01, subsurf=1)
            handle.location = p + n * 0.01
            handle.rotation_euler = (0, 0, math.radians(90))
            self.car.add("trim", handle)

    # --- options -----------------------------------------------------------------------
    def build_option(self, option_id: str, spec: dict) -> None:
        car = self.car
        part = spec["part"]
        if part == "wheels":
            car.options[option_id] = self.wheel_part(spec["design"])
        elif part == "badge_bar":
            car.options[option_id] = self.badge_bar_part(spec["design"])
        elif part == "badges":
            car.options[option_id] = self.badge_part(spec["design"])
        else:
            car.options[option_id] = self.finished_part(option_id, part, spec["finish"])
        if "replaces" in spec:
            car.replaces[option_id] = spec["replaces"]

    def finished_part(self, option_id: str, part: str, finish: str) -> str:
        """A copy of a shaped part in the option's finish, under the part name `option_id`."""
        name = option_id
        material = self.mat(finish)
        if part in self.car.parts:  # same geometry as the body's own part (roof, mirror caps)
            for src in self.car.parts[part]:
                obj = src.copy()
                obj.data = src.data.copy()
                obj.data.materials.clear()
                obj.data.materials.append(material)
                bpy.context.scene.collection.objects.link(obj)
                self.car.add(name, obj)
            return name
        builder = getattr(self, "part_" + part.replace("-", "_"), None)
        if builder is not None:
            for obj in builder(material):
                self.car.add(name, obj)
            return name
        stripe = next((s for s in self.d.get("stripes", []) if s["part"] == part), None)
        if stripe is None:
            raise KeyError(f"option {option_id}: no part or stripe called {part!r}")
        for obj in self.stripe(stripe, material):
            self.car.add(name, obj)
        return name

    def part_roof(self, material):
        return [self.roof_slab("roof", material)]

    def part_hood(self, material):
        hood = self.d["hood"]
        objs = [self.roof_slab("hood-top", material, ripple_bows=hood["bows"])]
        objs.append(self.cabin_surface("hood-fabric", hood["fabric"], material, lift=0.006, thickness=0.015))
        objs.append(self.cabin_surface("hood-glass", hood["glass"], self.mat("glass")))
        return [o for o in objs if o is not None]

    def part_hood_folded(self, material):
        f = self.d["hood"]["folded"]
        rings = []
        ys = np.linspace(-f["half_width"], f["half_width"], 24)
        for y in ys:
            taper = (1 - abs(y / f["half_width"]) ** 6) ** 0.25
            pts, _ = superellipse(64, f["length"] / 2 * (0.7 + 0.3 * taper), f["height"] / 2 * taper + 0.005, 2.6)
            bulge = 1 + 0.05 * np.abs(np.sin(f["folds"] * np.arctan2(pts[:, 1], pts[:, 0])))
            rings.append(np.c_[f["x"] + pts[:, 0] * bulge, np.full(len(pts), y),
                               f["z"] + f["height"] / 2 + pts[:, 1] * bulge])
        rings = np.array(rings)
        return [loft("hood-folded", rings, material, cap_start=rings[0].mean(axis=0),
                     cap_end=rings[-1].mean(axis=0), subsurf=2)]

    def stripe(self, spec: dict, default_material):
        """Bands projected from above onto the bonnet and roof: thin shells 2 mm proud of the paint."""
        d = self.d["decals"]
        ranges = [r for r in (d.get("bonnet"), d.get("roof")) if r]
        objs = []
        for x0, x1 in ranges:
            for band in spec["bands"]:
                material = self.mat(band["finish"]) if "finish" in band else default_material
                xs = np.arange(min(x0, x1), max(x0, x1), 0.015)
                ys = np.linspace(band["y"][0], band["y"][1], 4)
                grid = np.full((len(xs), len(ys), 3), np.nan)
                for i, x in enumerate(xs):
                    for j, y in enumerate(ys):
                        hit, nrm = self.cast((x, y, 3.0), (0, 0, -1), self.decal_targets)
                        if hit is not None and nrm.z > 0.45:
                            grid[i, j] = hit + nrm * 0.002
                ok = ~np.isnan(grid[..., 0])
                faces = []
                cols = len(ys)
                for i in range(len(xs) - 1):
                    for j in range(cols - 1):
                        if ok[i, j] and ok[i + 1, j] and ok[i, j + 1] and ok[i + 1, j + 1]:
                            faces.append((i * cols + j, (i + 1) * cols + j, (i + 1) * cols + j + 1, i * cols + j + 1))
                if faces:
                    objs.append(mesh_object("stripe", np.nan_to_num(grid).reshape(-1, 3), faces, material))
        return objs

    def wheel_part(self, design: str) -> str:
        name = "wheels-" + design
        if name in self.car.parts:
            return name
        w = self.d["wheels"][design]
        wheel = self.wheel(w)
        local = []
        for obj in wheel:  # one wheel, frozen, then placed four times sharing its meshes (Cycles instances them)
            if obj.modifiers:
                bake(obj)
            local.append(obj.matrix_world.copy())
        for corner, (x, y, z, side) in enumerate(self.wheel_centres()):
            place_at = Matrix.Translation((x, y, z)) @ Matrix.Rotation(0 if side > 0 else math.pi, 4, "Z")
            for src, matrix in zip(wheel, local, strict=True):
                obj = src
                if corner:
                    obj = src.copy()
                    bpy.context.scene.collection.objects.link(obj)
                obj.matrix_world = place_at @ matrix
                self.car.add(name, obj)
        return name

    def wheel(self, w: dict) -> list[bpy.types.Object]:
        """One wheel around the origin, axle along y, its face looking +y."""
        b = self.d["body"]
        radius, width = b["wheel_radius"], b["tyre_width"]
        rim_r = w["inches"] * 0.0254 / 2 + 0.012
        objs = [self.tyre(radius, width, rim_r)]
        face_y = width * 0.32
        lip = lathe("rim-lip", np.array([[rim_r - 0.012, face_y - 0.02], [rim_r + 0.006, face_y - 0.004],
                                         [rim_r + 0.008, face_y + 0.004], [rim_r - 0.004, face_y + 0.008],
                                         [rim_r - 0.02, face_y - 0.002]]), self.mat(w["lip"]), segments=96,
                    closed=True)
        barrel = lathe("rim-barrel", np.array([[rim_r - 0.015, face_y - 0.01], [rim_r - 0.015, -width * 0.45],
                                               [0.06, -width * 0.4]]), self.mat("dark-metal"), segments=64)
        objs += [lip, barrel]
        face = w["face"]
        fmat = self.mat(face["finish"])
        inner_r = rim_r - 0.016
        hub = lathe("hub", np.array([[0, face_y + 0.012], [0.045, face_y + 0.008], [0.058, face_y - 0.01],
                                     [0.058, face_y - 0.04]]), fmat, segments=48, subsurf=1)
        objs.append(hub)
        if face["kind"] == "spokes":
            for i in range(face["count"]):
                ang = 2 * math.pi * i / face["count"]
                length = inner_r - 0.05
                spoke = rounded_box("spoke", (length, face["thickness"], face["width"]), fmat, bevel=0.004,
                                    subsurf=1)
                bake(spoke)
                spoke.matrix_world = (Matrix.Rotation(-ang, 4, "Y") @ Matrix.Translation((0.05 + length / 2,
                                      face_y - face["thickness"] * 0.6 - 0.006 * (1 - i % 2 * 0), 0)))
                objs.append(spoke)
            drum = lathe("drum", np.array([[0, -0.03], [inner_r - 0.02, -0.03], [inner_r - 0.02, -0.05]]),
                         self.mat("dark-metal"), segments=48)
            objs.append(drum)
        else:  # a dish: a disc with a ring of round holes
            dish = lathe("dish", np.array([[0.055, face_y - 0.004], [inner_r * 0.55, face_y - 0.002],
                                           [inner_r + 0.004, face_y - 0.012], [inner_r + 0.004, face_y - 0.03],
                                           [0.055, face_y - 0.022]]), fmat, segments=96, closed=True)
            hole_r = face["hole_radius"]
            ring_r = inner_r * 0.68
            for i in range(face["holes"]):
                ang = 2 * math.pi * (i + 0.5) / face["holes"]
                cut = lathe("hole", np.array([[0, -0.1], [hole_r, -0.1], [hole_r, 0.2], [0, 0.2]]), fmat,
                            segments=24, closed=True)
                cut.location = (ring_r * math.cos(ang), 0, ring_r * math.sin(ang))
                bake(cut)
                mod = dish.modifiers.new("hole", "BOOLEAN")
                mod.operation, mod.object, mod.solver = "DIFFERENCE", cut, "EXACT"
                cut.hide_render = cut.hide_viewport = True
                self._scrap = [*getattr(self, "_scrap", []), cut]
            bake(dish)
            for cut in self._scrap:
                bpy.data.objects.remove(cut)
            self._scrap = []
            objs.append(dish)
            drum = lathe("drum", np.array([[0, -0.03], [inner_r - 0.02, -0.03]]), self.mat("dark-metal"), segments=48)
            objs.append(drum)
        cap = lathe("centre-cap", _dome_profile(0.038, 0.016, y=face_y + 0.008), self.mat(w["cap"]), segments=32)
        objs.append(cap)
        return objs

    def tyre(self, radius: float, width: float, rim_r: float) -> bpy.types.Object:
        """A tyre: rounded section swept round the axle, with two grooves and sipes cut into the tread."""
        n_prof, n_seg = 40, 160
        centre, half_h = (radius + rim_r) / 2, (radius - rim_r) / 2 + 0.006
        phi = np.linspace(-math.pi / 2, 3 * math.pi / 2, n_prof, endpoint=False)
        r = centre + half_h * _spow(np.sin(phi), 2 / 3.2) * 1.0
        y = width / 2 * _spow(np.cos(phi), 2 / 2.4)
        r = np.maximum(r, rim_r - 0.01)
        angles = np.linspace(0, 2 * math.pi, n_seg, endpoint=False)
        verts = []
        for ang in angles:
            rr = r.copy()
            tread = rr > radius - 0.01
            groove = tread & (np.abs(np.abs(y) - width * 0.17) < width * 0.05)
            sipe = tread & (np.abs(y) > width * 0.25) & (np.abs(((ang * 36 / math.pi) + y * 20) % 2 - 1) < 0.3)
            rr = np.where(groove | sipe, rr - 0.007, rr)
            verts.append(np.stack([rr * math.cos(ang), y, rr * math.sin(ang)], axis=1))
        verts = np.array(verts).reshape(-1, 3)
        faces = []
        for s in range(n_seg):
            s2 = (s + 1) % n_seg
            for p in range(n_prof):
                p2 = (p + 1) % n_prof
                faces.append((s * n_prof + p, s * n_prof + p2, s2 * n_prof + p2, s2 * n_prof + p))
        return mesh_object("tyre", verts, faces, self.mat("tyre"))

    def badge_part(self, design: str) -> str:
        name = "badges-" + design
        bd = self.d["badge_designs"][design]
        spots = []
        bg = self.d["badges"]
        p, n = self.on_surface(1, 0.0, bg["nose_z"])
        spots.append((p, n, 1.0))
        for side in (1, -1):
            p2, n2 = self.on_side(bg["wing_x"], bg["wing_z"], side)
            spots.append((p2, n2, 0.6))
        for point, normal, scale in spots:
            for obj in self.badge(bd, scale):
                place(obj, point, normal)
                self.car.add(name, obj)
        return name

    def badge(self, bd: dict, scale: float) -> list[bpy.types.Object]:
        objs = []
        r = 0.035 * scale if bd["wings"] else 0.045 * scale
        objs.append(lathe("badge", disc_profile(r, 0.008 * scale + 0.002), self.mat(bd["finish"]), segments=40))
        objs.append(lathe("badge-centre", _dome_profile(r * 0.72, 0.004, y=0.008 * scale + 0.002),
                          self.mat(bd["centre"]), segments=40))
        if bd["wings"]:
            for side in (1, -1):
                wing = mesh_object("wing", *_wing(scale, side), self.mat(bd["finish"]), smooth=False)
                mod = wing.modifiers.new("bevel", "BEVEL")
                mod.width, mod.segments = 0.002, 2
                objs.append(wing)
        return objs

    def badge_bar_part(self, design: str) -> str:
        name = "badgebar-" + design
        bb = self.d["badge_bar"]
        dd = self.d["badge_bar_designs"][design]
        chrome = self.mat("chrome")
        nose, _ = self.on_surface(1, 0.0, bb["z"])
        x = nose.x + 0.10
        bar = self.tube("badge-bar", np.array([(x, -bb["half_width"], bb["z"]), (x, bb["half_width"], bb["z"])]),
                        0.013, chrome, part=name)
        assert bar
        for side in (1, -1):
            y = side * bb["half_width"] * 0.8
            p, _ = self.on_surface(1, y, bb["z"])
            if p is not None:
                self.tube("bar-bracket", np.array([(p.x - 0.02, y, bb["z"]), (x, y, bb["z"])]), 0.008, chrome,
                          part=name)
        if dd["items"] == "lamps":
            lp = bb["lamps"]
            r = lp["radius"]
            for y in lp["y"]:
                centre = Vector((x + 0.01, y, bb["z"] + r + 0.01))
                body = lathe("spot-body", np.array([[0, -0.07], [r * 0.7, -0.065], [r, -0.03], [r, 0.0],
                                                    [r * 0.92, 0.004]]), chrome, segments=48, subsurf=1)
                refl = lathe("spot-reflector", np.array([[0, -0.02], [r * 0.9, 0.0]]), chrome, segments=48)
                lens = lathe("spot-lens", _dome_profile(r * 0.93, 0.015, y=0.0), self.mat("lens"), segments=48)
                bulb = lathe("spot-bulb", _dome_profile(0.014, 0.016, y=-0.015), self.mat("lamp-glow"), segments=16)
                stem = self.tube("spot-stem", np.array([(x, y, bb["z"]), (x, y, bb["z"] + r * 0.4)]), 0.01, chrome)
                for obj in (body, refl, lens, bulb):
                    place(obj, centre, Vector((1, 0, 0)))
                for obj in (body, refl, lens, bulb, stem):
                    self.car.add(name, obj)
        else:
            bp = bb["badges"]
            for y, finish in zip(bp["y"], dd["finishes"], strict=True):
                centre = Vector((x + 0.012, y, bb["z"] + bp["radius"] + 0.005))
                disc = lathe("club-badge", disc_profile(bp["radius"], 0.008), self.mat(finish), segments=40)
                ring = lathe("club-ring", _torus_profile(bp["radius"], 0.005, y=0.006), chrome, segments=40,
                             closed=True)
                star = lathe("club-centre", _dome_profile(bp["radius"] * 0.4, 0.006, y=0.008),
                             self.mat("enamel-cream"), segments=24)
                for obj in (disc, ring, star):
                    place(obj, centre, Vector((1, 0, 0)))
                    self.car.add(name, obj)
        return name


def _torus_profile(major: float, minor: float, *, y: float = 0.0, n: int = 16) -> np.ndarray:
    t = np.linspace(0, 2 * math.pi, n, endpoint=False)
    return np.stack([major + minor * np.cos(t), y + minor * np.sin(t)], axis=1)


def _dome_profile(radius: float, height: float, *, y: float = 0.0, n: int = 12) -> np.ndarray:
    t = np.linspace(0, math.pi / 2, n)
    return np.stack([radius * np.cos(t), y + height * np.sin(t)], axis=1)


def _wing(scale: float, side: int):
    """A swept wing shape (flat, 4 mm thick) beside the badge disc, in the badge's own frame (+y out)."""
    outline = [(0.03, 0.012), (0.11, 0.02), (0.125, 0.008), (0.10, -0.002), (0.03, -0.012)]
    verts = []
    for yy in (0.0, 0.005):
        verts += [(side * x * scale, yy, z * scale) for x, z in outline]
    n = len(outline)
    faces = [tuple(range(n))[::-1] if side > 0 else tuple(range(n)), tuple(range(n, 2 * n)) if side > 0 else
             tuple(range(n, 2 * n))[::-1]]
    for i in range(n):
        j = (i + 1) % n
        faces.append((i, j, n + j, n + i) if side > 0 else (j, i, n + i, n + j))
    return verts, faces


def build(description: dict) -> Car:
    """Build the car described into the current (empty) scene."""
    return Builder(description).build()
