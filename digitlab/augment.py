"""Augmentation for reading drawings: pen width, slant, rotation, zoom, shift, elastic wobble.

Lesson 07 (drawn digits): a pad drawing has one pen width, often thinner or bolder than
MNIST's, and a slant and wobble of its own. `DrawingAugment` changes each training image
that way; pass it to `digitlab.train.train(..., augment=DrawingAugment(seed))`
(`digitlab train --augment drawing`). It works on batches of float32 (B, 28, 28, 1) images
inside the tf.data pipeline: pen width by grey dilation/erosion, then one random affine map
(rotation, shear, stretch, zoom, shift) plus a smooth elastic displacement, sampled bilinearly.
"""

from __future__ import annotations

import math

import keras
import tensorflow as tf

from digitlab.config import IMAGE_SIDE


class DrawingAugment:
    """A random distortion of each image of a batch (float32 (B, 28, 28, 1) in [0, 1]).

    Ranges: `pen` the strength of thickening (up to a 3x3 dilation) or thinning (up to
    70% of a 2x2 erosion); `rotation` degrees; `shear` (slant) as a fraction; `zoom` and
    `stretch` relative; `shift` pixels; `elastic` pixels of smooth displacement. Lesson 07.
    """

    def __init__(
        self,
        seed: int = 0,
        *,
        pen: float = 1.0,
        rotation: float = 12.0,
        shear: float = 0.3,
        zoom: float = 0.12,
        stretch: float = 0.1,
        shift: float = 2.5,
        elastic: float = 1.0,
    ) -> None:
        self.seed = keras.random.SeedGenerator(seed)
        self.pen, self.rotation, self.shear = pen, rotation, shear
        self.zoom, self.stretch, self.shift, self.elastic = zoom, stretch, shift, elastic

    def _uniform(self, shape, low: float, high: float) -> tf.Tensor:
        return keras.random.uniform(shape, low, high, seed=self.seed)

    def __call__(self, images: tf.Tensor) -> tf.Tensor:
        images = tf.convert_to_tensor(images, tf.float32)
        batch = tf.shape(images)[0]
        images = self._pen_width(images, batch)
        warped = _sample(images, self._source_coordinates(batch))
        peak = tf.reduce_max(warped, axis=[1, 2, 3], keepdims=True)
        return warped / tf.maximum(peak, 1e-3)

    def _pen_width(self, images: tf.Tensor, batch) -> tf.Tensor:
        """Each image's strokes thickened (t > 0) or thinned (t < 0) by a random amount t."""
        t = self._uniform((batch, 1, 1, 1), -self.pen, self.pen)
        thick = tf.nn.max_pool2d(images, 3, 1, "SAME")
        thin = -tf.nn.max_pool2d(-images, 2, 1, "SAME")
        return tf.where(t > 0, images + t * (thick - images), images - 0.7 * t * (thin - images))

    def _source_coordinates(self, batch) -> tuple[tf.Tensor, tf.Tensor]:
        """For each output pixel, where in the input image to read it: (B, 28, 28) x and y."""
        angle = self._uniform((batch, 1, 1), -1, 1) * math.radians(self.rotation)
        shear = self._uniform((batch, 1, 1), -self.shear, self.shear)
        scale = 1 + self._uniform((batch, 1, 1), -self.zoom, self.zoom)
        aspect = 1 + self._uniform((batch, 1, 1), -self.stretch, self.stretch)
        dx = self._uniform((batch, 1, 1), -self.shift, self.shift)
        dy = self._uniform((batch, 1, 1), -self.shift, self.shift)
        centre = (IMAGE_SIDE - 1) / 2
        grid = tf.range(IMAGE_SIDE, dtype=tf.float32) - centre
        y, x = tf.meshgrid(grid, grid, indexing="ij")
        x, y = x[None] * scale * aspect + shear * y[None], y[None] * scale
        cos, sin = tf.cos(angle), tf.sin(angle)
        x, y = cos * x - sin * y, sin * x + cos * y
        coarse = self._uniform((batch, 4, 4, 2), -1, 1) * self.elastic
        flow = tf.image.resize(coarse, (IMAGE_SIDE, IMAGE_SIDE), method="bicubic")
        return x + centre + dx + flow[..., 0], y + centre + dy + flow[..., 1]


def _sample(images: tf.Tensor, coordinates: tuple[tf.Tensor, tf.Tensor]) -> tf.Tensor:
    """Bilinear lookup of (B, 28, 28, 1) `images` at (x, y) per output pixel; outside is 0."""
    x, y = coordinates
    flat = tf.reshape(images, [-1])
    batch = tf.shape(images)[0]
    base = tf.reshape(tf.range(batch) * IMAGE_SIDE * IMAGE_SIDE, [-1, 1, 1])
    x0, y0 = tf.floor(x), tf.floor(y)
    out = tf.zeros_like(x)
    for oy in (0.0, 1.0):
        for ox in (0.0, 1.0):
            xi, yi = x0 + ox, y0 + oy
            weight = (1 - tf.abs(x - xi)) * (1 - tf.abs(y - yi))
            inside = (xi >= 0) & (xi <= IMAGE_SIDE - 1) & (yi >= 0) & (yi <= IMAGE_SIDE - 1)
            index = base + tf.cast(tf.clip_by_value(yi, 0, IMAGE_SIDE - 1), tf.int32) * IMAGE_SIDE
            index += tf.cast(tf.clip_by_value(xi, 0, IMAGE_SIDE - 1), tf.int32)
            out += tf.where(inside, weight * tf.gather(flat, index), 0.0)
    return out[..., None]
