"""The ready experiments: what they compare, that they run, and the claim's preconditions."""
import dataclasses

import convviz
from convviz import learn


def test_the_default_experiment_compares_a_small_conv_net_with_a_dense_net():
    exp = learn.EXPERIMENTS[learn.DEFAULT_EXPERIMENT]
    assert exp.key == "shifted" and exp.placement == "shifted" and list(learn.EXPERIMENTS)[0] == exp.key
    conv, dense = (net.params(exp.input_shape) for net in exp.networks)
    assert (conv, dense) == (6218, 41802)
    assert conv <= dense / 5  # issue 25: at most a fifth of the dense net's parameters
    assert {layer.category for layer in exp.networks[0].layers} == {"conv", "activation", "pool", "reshape", "dense"}
    assert {layer.category for layer in exp.networks[1].layers} == {"reshape", "dense", "activation"}


def test_every_experiment_ends_in_ten_scores_and_has_page_words():
    from ui.common.i18n import catalog

    for exp in learn.EXPERIMENTS.values():
        for net in exp.networks:
            assert convviz.summarize(net.layers, exp.input_shape).output_shape == (10,)
        for lang in ("en", "ko"):
            assert exp.name_key in catalog(lang) and exp.description_key in catalog(lang)
        assert catalog("en")[exp.name_key] == exp.name


def test_an_experiment_runs_both_networks_on_the_same_data():
    exp = dataclasses.replace(learn.EXPERIMENTS["centred"], n_train=100, epochs=2)
    seen = []
    results = exp.run(seed=0, on_epoch=lambda key, record: seen.append((key, record.epoch)))
    assert list(results) == ["conv", "dense"]
    assert seen == [("conv", 1), ("conv", 2), ("dense", 1), ("dense", 2)]
    assert results["conv"].param_count == 6218 and results["dense"].param_count == 41802
    assert exp.train_settings() == {"epochs": 2, "batch_size": 32, "lr": 1e-3, "optimizer": "adam"}
