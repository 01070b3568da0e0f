#!/usr/bin/env python3
"""Writes the demo class under samples/<student>/: the HW1 solution
(tests/fixtures/nbgen.py holds its code) as the four notebooks and
pytorch_basic.py, each notebook EXECUTED with Debian's nbclient (python3-nbclient
and python3-ipykernel, needed only here), and one student per common mistake,
packaging or naming problem, each executed with its mistake in.
Run at authoring time; the executed notebooks are committed. Then grade the
class and write expected.json with pin.py, and read them.
Usage: author.py [FOLDER...]   (default: every student)"""
import json
import os
import shutil
import sys
import tempfile

import nbformat
from nbclient import NotebookClient

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "..", "tests", "fixtures"))
import nbgen  # noqa: E402

# The course's utils/ is not ours to ship: the two helpers the notebook uses, written here.
NN_HELPERS = '''

def rel_error(x, y):
    return np.max(np.abs(x - y) / np.maximum(1e-8, np.abs(x) + np.abs(y)))


def eval_numerical_gradient_array(f, x, df, h=1e-5):
    grad = np.zeros_like(x)
    it = np.nditer(x, flags=["multi_index"], op_flags=["readwrite"])
    while not it.finished:
        ix = it.multi_index
        old = x[ix]
        x[ix] = old + h
        pos = f(x).copy()
        x[ix] = old - h
        neg = f(x).copy()
        x[ix] = old
        grad[ix] = np.sum((pos - neg) * df) / (2 * h)
        it.iternext()
    return grad
'''


def nn_code(src):
    return src.replace("from utils.gradient_check import eval_numerical_gradient\n", "") + NN_HELPERS


def cells(spec):
    out = []
    for kind, text in spec:
        out.append(nbformat.v4.new_markdown_cell(text) if kind == "md" else nbformat.v4.new_code_cell(text))
    return out


def basics(basics_code):
    return cells([
        ("md", "# Exercise 7 — PyTorch basics\nمتن فارسی: تمرین اول"),
        ("code", "import torch\nimport pytorch_basic\nfrom pytorch_basic import *\npytorch_basic.hello()"),
        ("code", "x = create_sample_tensor()\nprint('Correct:', x.shape == (3, 2) and x[0, 1].item() == 10 and x[1, 0].item() == 100)\n"
                 "x = torch.zeros(4, 5)\ny = mutate_tensor(x, [(0, 1), (1, 2), (0, 1)], [3, 4, 5])\n"
                 "print('Correct:', y is x and x[0, 1].item() == 5 and x[1, 2].item() == 4)\n"
                 "print('Correct:', count_tensor_elements(torch.zeros(2, 3, 4)) == 24)\n"
                 "print('Correct:', torch.allclose(create_tensor_of_pi(2, 3), torch.full((2, 3), 3.14)))\n"
                 "print('Correct:', multiples_of_ten(5, 36).tolist() == [10.0, 20.0, 30.0] and multiples_of_ten(1, 9).shape == (0,))"),
        ("code", "x = torch.arange(24).view(4, 6)\nlast, third, block, evens = slice_indexing_practice(x)\n"
                 "print('Correct:', last.tolist() == [18, 19, 20, 21, 22, 23] and third.shape == (4, 1) and block.shape == (2, 3))\n"
                 "print('Correct:', shuffle_cols(x)[0].tolist() == [0, 0, 2, 1])\n"
                 "print('Correct:', reverse_rows(x)[0].tolist() == [18, 19, 20, 21, 22, 23])\n"
                 "print('Correct:', take_one_elem_per_col(x).tolist() == [6, 1, 20])\n"
                 "print('Correct:', reshape_practice(torch.arange(24))[0].tolist() == [0, 1, 2, 3, 12, 13, 14, 15])\n"
                 "print('Correct:', make_one_hot([1, 4, 3, 2]).sum().item() == 4)"),
        ("code", "torch.manual_seed(598)\nprint('negative entries:', count_negative_entries(torch.randn(100, 100)))\n"
                 "a = torch.tensor([[1.0, 10.0], [2.0, 20.0], [4.0, 60.0]])\nn = normalize_columns(a)\n"
                 "print('Correct:', abs(n[0, 0].item() - (1 - 7 / 3) / (7 / 3) ** 0.5) < 1e-6)\n"
                 "print('Correct:', zero_row_min(torch.tensor([[3.0, 1.0, 2.0]])).tolist() == [[3.0, 0.0, 2.0]])\n"
                 "x, y = torch.randn(3, 4, 5), torch.randn(3, 5, 6)\n"
                 "print('Correct:', (batched_matrix_multiply(x, y) - batched_matrix_multiply(x, y, use_loop=False)).abs().max().item() < 1e-6)"),
        ("code", "x, w = torch.randn(30, 40), torch.randn(40, 50)\nz = mm_on_gpu(x, w)\n"
                 "print('mm_on_gpu difference:', (z - mm_on_cpu(x, w)).abs().max().item())"),
        ("md", "## Fitting a 1-D function\n(The MNIST part needs the data set, which this sample does not download.)"),
        ("code", basics_code),
        ("code", "x_train_tensor, y_train_tensor, x_train, y_train = generate_training_data(true_function, num_samples=400)\n"
                 "model = NeuralNetwork()\n"
                 "print('parameters:', sum(p.numel() for p in model.parameters()))\n"
                 "losses = train_model(model, x_train_tensor, y_train_tensor, true_function, num_epochs=5)\n"
                 "plt.plot(losses)\nplt.title('Final Loss: %.4f' % losses[-1])\nplt.show()"),
    ])


def nn_scratch(code):
    return cells([
        ("md", "# Exercise 8 — NN from scratch\n(utils/ is the course's; its two helpers are written in the first cell.)"),
        ("code", nn_code(code)),
        ("code", "num_inputs, input_shape, output_dim = 2, (4, 5, 6), 3\n"
                 "x = np.linspace(-0.1, 0.5, num=num_inputs * np.prod(input_shape)).reshape(num_inputs, *input_shape)\n"
                 "w = np.linspace(-0.2, 0.3, num=np.prod(input_shape) * output_dim).reshape(np.prod(input_shape), output_dim)\n"
                 "b = np.linspace(-0.3, 0.1, num=output_dim)\nout, _ = affine_forward(x, w, b)\n"
                 "correct_out = np.array([[1.49834967, 1.70660132, 1.91485297], [3.25553199, 3.5141327, 3.77273342]])\n"
                 "print('Testing affine_forward function:')\nprint('difference: ', rel_error(out, correct_out))"),
        ("code", "np.random.seed(231)\nx = np.random.randn(10, 10)\ndout = np.random.randn(*x.shape)\n"
                 "dx_num = eval_numerical_gradient_array(lambda x: relu_forward(x)[0], x, dout)\n"
                 "print('Testing relu_backward function:')\nprint('dx error: ', rel_error(dx_num, relu_backward(dout, x)))"),
        ("code", "np.random.seed(231)\nx = np.random.randn(50)\ny = np.random.randn(50)\nloss, dx = mse_loss(x, y)\n"
                 "print('loss:', loss)"),
        ("code", "np.random.seed(231)\nN, D, H1, H2 = 2, 15, 20, 30\nX = np.random.randn(N, D)\ny = np.random.randint(123, size=(N,))\n"
                 "for reg in [0, 3.14]:\n    print('Running check with reg = ', reg)\n"
                 "    model = FullyConnectedNet([H1, H2], input_dim=D, output_dim=1, reg=reg, weight_scale=5e-2, dtype=np.float64)\n"
                 "    loss, grads = model.loss(X, y)\n    print('Initial loss: ', loss)"),
        ("code", "# California Housing is not downloaded here: a synthetic set of its shape (8 features).\n"
                 "rng = np.random.RandomState(0)\nXall = rng.randn(20640, 8)\ntrue_w = rng.randn(8) * 1.5\n"
                 "yall = Xall @ true_w + 1.4 * rng.randn(20640)\n"
                 "Xtr, ytr, Xva, yva = Xall[:15640], yall[:15640], Xall[15640:18140], yall[15640:18140]\n"
                 "np.random.seed(1)\nnet = FullyConnectedNet([32], input_dim=8, output_dim=1, weight_scale=1e-1, dtype=np.float64)\n"
                 "configs = {k: {'learning_rate': 1e-2} for k in net.params}\nepochs, batch = 5, 100\nhistory = []\n"
                 "for e in range(1, epochs + 1):\n"
                 "    order = np.random.permutation(len(Xtr))\n"
                 "    for i in range(0, len(Xtr), batch):\n"
                 "        idx = order[i:i + batch]\n"
                 "        loss, grads = net.loss(Xtr[idx], ytr[idx])\n"
                 "        history.append(loss)\n"
                 "        for k in net.params:\n"
                 "            net.params[k], configs[k] = sgd_momentum(net.params[k], grads[k], configs[k])\n"
                 "    rms = lambda X, y: np.sqrt(np.mean((net.loss(X).reshape(-1) - y) ** 2))\n"
                 "    print('(Epoch %d / %d) train RMS error: %.4f; val RMS error: %.4f' % (e, epochs, rms(Xtr, ytr), rms(Xva, yva)))"),
        ("code", "import matplotlib.pyplot as plt\nplt.plot(history)\nplt.xlabel('iteration')\nplt.show()"),
    ])


def optimization(code):
    return cells([
        ("md", "# Exercise 9 — Optimization\n(Plotted with matplotlib: plotly is not installed here.)"),
        ("code", code),
        ("code", "for f, start in [(rosenbrock_2d_torch, [-1.0, 1.5]), (ill_conditioned_convex_2d_torch, [4.0, -3.0])]:\n"
                 "    path = optimize(f, adam_update, torch.tensor(start), 100,\n"
                 "                    {'lr': 0.05, 'beta1': 0.9, 'beta2': 0.999, 'eps': 1e-8})\n"
                 "    print(f.__name__, 'ends at', path[-1].tolist(), 'value', float(f(torch.tensor(path[-1]))))"),
        ("code", "import matplotlib.pyplot as plt\nimport numpy as np\n"
                 "path = np.array(optimize(rosenbrock_2d_torch, newton_update, torch.tensor([-1.0, 1.5]), 20, {'eps': 1e-4},\n"
                 "                         second_order=True))\n"
                 "plt.plot(path[:, 0], path[:, 1], 'o-')\nplt.show()"),
    ])


def lazy(code):
    return cells([
        ("md", "# Exercise 10 — Lazy gradient"),
        ("code", code),
        ("code", "device = 'cuda'\nbig = nn.Sequential(nn.Linear(400, 100), nn.ReLU(), nn.Linear(100, 32)).to(device)\n"
                 "print(torch.cuda.memory_allocated())"),
        ("code", "from torch.utils.checkpoint import checkpoint_sequential\nset_seed(0)\n"
                 "model = nn.Sequential(nn.Linear(20, 64), nn.ReLU(), nn.Linear(64, 8), nn.ReLU(), nn.Linear(8, 64), nn.ReLU(), nn.Linear(64, 1))\n"
                 "x = torch.randn(16, 20, requires_grad=True)\nout_plain = model(x)\nout_plain.sum().backward()\n"
                 "g_plain = [p.grad.clone() for p in model.parameters()]\nmodel.zero_grad()\n"
                 "out_ck = checkpoint_sequential(model, 2, x)\nout_ck.sum().backward()\n"
                 "ok = torch.allclose(out_plain, out_ck) and all(torch.allclose(a, p.grad) for a, p in zip(g_plain, model.parameters()))\n"
                 "print('All checks passed!' if ok else 'Mismatch between checkpointed and plain gradients')"),
        ("code", "set_seed(123)\na = nn.Linear(4, 2)(torch.ones(1, 4))\nset_seed(123)\nb = nn.Linear(4, 2)(torch.ones(1, 4))\n"
                 "print('same outputs:', torch.equal(a, b))"),
        ("code", "set_seed(0)\nX = torch.randn(400, 5)\nY = X @ torch.randn(5, 1)\nloader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(X, Y), batch_size=100)\n"
                 "m = train_with_gradient_accumulation(nn.Linear(5, 1), loader, 4)\nprint('weights after one accumulated step:', m.weight.data.tolist())"),
        ("code", "set_seed(0)\nxs = torch.linspace(-5, 5, 200).unsqueeze(1)\nys = 2 * xs + 3 + 0.5 * torch.randn_like(xs)\n"
                 "w = torch.zeros(1, requires_grad=True)\nb = torch.zeros(1, requires_grad=True)\n"
                 "for epoch in range(5):\n    loss = ((w * xs + b - ys) ** 2).mean()\n"
                 "    gw, gb = torch.autograd.grad(loss, [w, b], create_graph=True)\n"
                 "    hw, hb = torch.autograd.grad(gw ** 2 + gb ** 2, [w, b])\n"
                 "    with torch.no_grad():\n        w -= 0.01 * gw + 0.0001 * hw\n        b -= 0.01 * gb + 0.0001 * hb\n"
                 "    print('epoch %d loss %.4f' % (epoch, loss.item()))"),
    ])


def execute(nb, workdir):
    NotebookClient(nb, timeout=300, kernel_name="python3", allow_errors=True,
                   resources={"metadata": {"path": workdir}}).execute()
    return nb


def write_student(folder, zipname, module=None, nn=None, opt=None, lazy_code=None, basics_code=None,
                  basics_run=True, opt_cleared=True, extra=None, pad_mb=0, what=""):
    root = os.path.join(HERE, folder)
    shutil.rmtree(os.path.join(root, "files"), ignore_errors=True)
    os.makedirs(os.path.join(root, "files"))
    module = module or nbgen.PYTORCH_BASIC
    work = tempfile.mkdtemp()
    with open(os.path.join(work, "pytorch_basic.py"), "w") as f:
        f.write(module)
    books = {
        "Basics.ipynb": basics(basics_code or nbgen.BASICS_NET),
        "NN_Scratch.ipynb": nn_scratch(nn or nbgen.NN_CODE),
        "Optimization.ipynb": optimization(opt or nbgen.OPT_CODE),
        "Lazy_Gradient.ipynb": lazy(lazy_code or nbgen.LAZY_CODE),
    }
    for name, cs in books.items():
        nb = nbformat.v4.new_notebook(cells=cs)
        nb.metadata["kernelspec"] = {"display_name": "Python 3", "language": "python", "name": "python3"}
        if name != "Basics.ipynb" or basics_run:
            execute(nb, work)
        if name == "Optimization.ipynb" and opt_cleared:
            for c in nb.cells:  # presented in class: handed in cleared
                if c.cell_type == "code":
                    c.outputs, c.execution_count = [], None
        nbformat.write(nb, os.path.join(root, "files", name))
    shutil.rmtree(work)
    files = {"pytorch_basic.py": module}
    files.update(extra or {})
    for name, text in files.items():
        path = os.path.join(root, "files", name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
    with open(os.path.join(root, "zipname"), "w", encoding="utf-8") as f:
        f.write(zipname + "\n")
    meta = {"what": what}
    if pad_mb:
        meta["pad_mb"] = pad_mb
    with open(os.path.join(root, "about.json"), "w", encoding="utf-8") as f:
        json.dump(meta, f, indent=1, ensure_ascii=False)
        f.write("\n")


def mistake(name):
    where, old, new = nbgen.MISTAKES[name]
    key = {"nn": "nn", "module": "module", "opt": "opt", "lazy": "lazy_code", "basics_code": "basics_code"}[where]
    base = {"nn": nbgen.NN_CODE, "module": nbgen.PYTORCH_BASIC, "opt": nbgen.OPT_CODE, "lazy": nbgen.LAZY_CODE,
            "basics_code": nbgen.BASICS_NET}[where]
    return {key: nbgen.swap(base, old, new)}


CLASS = [
    ("full_marks", "HW1_Sara_Ahmadi_402105998.zip", {}, "everything right"),
    ("half_mse", "HW1_Reza_Karimi_401100002.zip", mistake("half_mse"), "mse_loss with 1/2"),
    ("biased_std", "HW1_Maryam_Hosseini_401100003.zip", mistake("biased_std"), "normalize_columns with the biased std"),
    ("relu_at_zero", "HW1_Ali_Moradi_401100004.zip", mistake("relu_at_zero"), "relu_backward passes the gradient at 0"),
    ("momentum_sign", "HW1_Zahra_Rahimi_401100005.zip", mistake("momentum_sign"), "sgd_momentum with the wrong sign"),
    ("adam_no_correction", "HW1_Hossein_Jafari_401100006.zip", mistake("adam_no_correction"), "Adam without bias correction"),
    ("newton_no_eps", "HW1_Fatemeh_Ahmadi_401100007.zip", mistake("newton_no_eps"), "Newton without eps on the diagonal"),
    ("seed_forgets_torch", "HW1_Mohammad_Rezaei_401100008.zip", mistake("seed_forgets_torch"), "set_seed that forgets torch"),
    ("accumulation_undivided", "HW1_Narges_Kazemi_401100009.zip", mistake("accumulation_undivided"),
     "gradient accumulation without dividing the loss"),
    ("optimization_with_outputs", "HW1_Amir_Sadeghi_401100010.zip", {"opt_cleared": False}, "Optimization uploaded with its outputs"),
    ("basics_never_executed", "HW1_سارا_محمدی_402222222.zip", {"basics_run": False},
     "a Persian-named zip whose Basics notebook was never run"),
    ("modified_utils", "HW1_Ali_Rezaei_401234567.zip",
     {"extra": {"utils/data.py": "# the student edited the given loader\n",
                "__pycache__/pytorch_basic.cpython-311.pyc": "compiled\n"}}, "a modified utils/ and a __pycache__ folder"),
    ("misnamed", "hw1-reza-karimi-401999888.zip", {}, "right work in a misnamed zip"),
    ("oversize", "HW1_Kian_Tehrani_401100013.zip", {"pad_mb": 22},
     "22 MB of figures over the 20 MB limit (files of 4.4 MB, under the per-file limit)"),
    ("late", "HW1_Parisa_Najafi_401100014.zip", {},
     "right work handed in 3 days late (times.csv; term.yaml: 1 free day, 10% a day after it)"),
]

if __name__ == "__main__":
    want = set(sys.argv[1:])
    for folder, zipname, kw, what in CLASS:
        if want and folder not in want:
            continue
        print("authoring", folder, flush=True)
        write_student(folder, zipname, what=what, **kw)
