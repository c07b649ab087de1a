"""Adam and SGD against ``torch.optim``, and a whole training run against the same run in torch (optional: torch)."""
import numpy as np
import pytest

torch = pytest.importorskip("torch")

from convviz import learn  # noqa: E402  (after the skip)
from tests.convviz.learn.torch_nets import torch_model  # noqa: E402

pytestmark = pytest.mark.torch


@pytest.mark.parametrize("name", ["adam", "sgd"])
def test_optimizer_steps_match_torch(name):
    rng = np.random.default_rng(0)
    params = [rng.normal(size=(3, 4)), rng.normal(size=5)]
    tparams = [torch.tensor(p.copy(), requires_grad=True) for p in params]
    ours = learn.OPTIMIZERS[name](params, lr=0.01)
    theirs = {"adam": torch.optim.Adam, "sgd": torch.optim.SGD}[name](tparams, lr=0.01)
    for _ in range(25):
        grads = [rng.normal(size=p.shape) * rng.uniform(0.01, 10) for p in params]
        ours.step(grads)
        for t, g in zip(tparams, grads):
            t.grad = torch.tensor(g)
        theirs.step()
    for p, t in zip(params, tparams):
        np.testing.assert_allclose(p, t.detach().numpy(), rtol=1e-12, atol=1e-14)


def test_two_epochs_of_training_match_the_same_run_in_torch():
    """Same initial parameters, batches and optimizer: the parameters after train() are torch's."""
    exp = learn.EXPERIMENTS["shifted"]
    data = learn.digits_data("shifted", n_train=96, seed=0)
    seed, epochs, batch = 3, 2, 32
    for net in exp.networks:
        result = learn.train(net.layers, data, epochs=epochs, batch_size=batch, lr=1e-3, seed=seed, dtype="float64")
        model = torch_model(list(net.layers), result.initial_params)
        opt = torch.optim.Adam(model.parameters(), lr=1e-3)
        order_rng = np.random.default_rng([seed, 1])  # train()'s shuffling
        x, y = torch.tensor(data.x_train), torch.tensor(data.y_train)
        for _ in range(epochs):
            order = order_rng.permutation(len(x))
            for first in range(0, len(x), batch):
                idx = torch.tensor(order[first:first + batch])
                opt.zero_grad()
                torch.nn.functional.cross_entropy(model(x[idx]), y[idx]).backward()
                opt.step()
        for p, t in zip(result.params, model.parameters()):
            np.testing.assert_allclose(p, t.detach().numpy(), rtol=1e-7, atol=1e-9)
        with torch.no_grad():
            acc = (model(torch.tensor(data.x_test)).argmax(1) == torch.tensor(data.y_test)).double().mean().item()
        assert acc == result.final.test_accuracy
