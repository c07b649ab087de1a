"""The shipped digits: what the file holds, placing digits on a canvas, seeded splits."""
import hashlib

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from convviz import learn
from convviz.errors import TrainingError
from convviz.learn.digits import DIGITS_PATH


def test_the_shipped_file_is_scikit_learns_copy():
    # scikit-learn 1.9.1's sklearn/datasets/data/digits.csv.gz, byte for byte (convviz/learn/data/README.md)
    digest = hashlib.sha256(DIGITS_PATH.read_bytes()).hexdigest()
    assert digest == "09f66e6debdee2cd2b5ae59e0d6abbb73fc2b0e0185d2e1957e9ebb51e23aa22"


def test_load_digits_scales_the_counts_and_keeps_the_labels():
    images, labels = learn.load_digits()
    assert images.shape == (learn.DIGIT_COUNT, 8, 8) and labels.shape == (learn.DIGIT_COUNT,)
    assert images.min() == 0.0 and images.max() == 1.0
    assert np.all(np.isclose(images * 16, np.round(images * 16)))  # counts 0..16
    assert np.bincount(labels).tolist() == [178, 182, 177, 183, 181, 182, 181, 179, 174, 180]
    assert not images.flags.writeable  # read once, shared


@settings(max_examples=25, deadline=None)
@given(canvas=st.integers(8, 20), seed=st.integers(0, 1000), centred=st.booleans())
def test_placed_digits_keep_every_pixel_inside_the_canvas(canvas, seed, centred):
    images = learn.load_digits()[0][:20]

    def place():
        return learn.centred_digits(images, canvas=canvas) if centred else \
            learn.shifted_digits(images, canvas=canvas, seed=seed)

    placed = place()
    assert placed.shape == (20, 1, canvas, canvas)
    assert np.allclose(placed.sum(axis=(1, 2, 3)), images.sum(axis=(1, 2)))
    assert np.array_equal(placed, place())


def test_shifted_digits_move_and_centred_ones_do_not():
    assert learn.shifted_digits().shape == (learn.DIGIT_COUNT, 1, 16, 16)
    ones = np.ones((200, 8, 8))
    tops = {int(np.argwhere(img[0])[0][0]) for img in learn.shifted_digits(ones, seed=1)}
    assert tops == set(range(9))  # every row position 0..8 of a 16 x 16 canvas occurs
    centred = learn.centred_digits(ones)
    assert np.all(centred[:, 0, 4:12, 4:12] == 1) and centred.sum() == 200 * 64


def test_splits_are_seeded_disjoint_and_complete():
    a = learn.digits_data("shifted", n_train=1000, seed=3)
    b = learn.digits_data("shifted", n_train=1000, seed=3)
    c = learn.digits_data("shifted", n_train=1000, seed=4)
    assert np.array_equal(a.x_train, b.x_train) and np.array_equal(a.y_test, b.y_test)
    assert not np.array_equal(a.x_train, c.x_train)
    assert (len(a.x_train), len(a.x_test)) == (1000, 797) and a.input_shape == (1, 16, 16)
    train, test = learn.split(1797, 1000, seed=3)
    assert not set(train) & set(test) and len(set(train) | set(test)) == 1797


def test_the_validation_split_uses_training_images_only():
    data = learn.digits_data("shifted", n_train=1000, seed=0)
    val = learn.validation_split(data, n_validation=200, seed=0)
    pool = {img.tobytes() for img in data.x_train}
    assert all(img.tobytes() in pool for img in np.concatenate([val.x_train, val.x_test]))
    assert len(val.x_train) == 800 and len(val.x_test) == 200


@pytest.mark.parametrize("call, code", [
    (lambda: learn.digits_data("scattered"), "bad_choice"),
    (lambda: learn.digits_data(n_train=1797), "out_of_range"),
    (lambda: learn.digits_data(canvas=4), "out_of_range"),
    (lambda: learn.validation_split(learn.digits_data(n_train=10), n_validation=10), "out_of_range"),
])
def test_bad_data_settings_are_coded_errors(call, code):
    with pytest.raises(TrainingError) as info:
        call()
    assert info.value.code == code
