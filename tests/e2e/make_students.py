#!/usr/bin/env python3
"""Writes student-style submissions (folders) into OUT: one with every
function right, one per typical bug (each should lose exactly one check's
points), and one per attack the jail must contain. Usage: OUT"""
import os
import shutil
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "fixtures"))
import nbgen  # noqa: E402

out = sys.argv[1]
shutil.rmtree(out, ignore_errors=True)


def student(name, module=nbgen.PYTORCH_BASIC, nn=nbgen.NN_CODE, opt=nbgen.OPT_CODE, lazy=nbgen.LAZY_CODE,
            basics=nbgen.BASICS_NET, extra=None):
    d = os.path.join(out, name)
    os.makedirs(d)
    nn_cells = nbgen.nn_scratch()
    nn_cells[1] = nbgen.code(nn)
    nbgen.run(nn_cells)
    opt_cells = nbgen.optimization()
    opt_cells[2] = nbgen.code(opt)
    lazy_cells = nbgen.lazy_gradient()
    lazy_cells[1] = nbgen.code(lazy)
    nbgen.run(lazy_cells)
    basics_cells = nbgen.basics()
    for i, c in enumerate(basics_cells):
        if "".join(c["source"]) == nbgen.BASICS_NET:
            basics_cells[i] = nbgen.code(basics)
    nbgen.run(basics_cells)
    files = {"Basics.ipynb": nbgen.notebook(basics_cells), "pytorch_basic.py": module,
             "NN_Scratch.ipynb": nbgen.notebook(nn_cells), "Optimization.ipynb": nbgen.notebook(opt_cells),
             "Lazy_Gradient.ipynb": nbgen.notebook(lazy_cells)}
    files.update(extra or {})
    for f, text in files.items():
        with open(os.path.join(d, f), "w") as fh:
            fh.write(text)


def swap(text, old, new):
    assert old in text, old
    return text.replace(old, new)


M, N, O, Z, B = nbgen.PYTORCH_BASIC, nbgen.NN_CODE, nbgen.OPT_CODE, nbgen.LAZY_CODE, nbgen.BASICS_NET
student("HW1_Good_Student_400000001")
# One typical bug each: the check named after it loses its points, nothing else.
student("HW1_Half_Mse_400000002", nn=swap(N, "loss = np.mean((x_flat - y) ** 2)", "loss = 0.5 * np.mean((x_flat - y) ** 2)"))
student("HW1_Biased_Std_400000003", module=swap(M, "x.std(dim=0)", "x.std(dim=0, unbiased=False)"))
student("HW1_Relu_At_Zero_400000004", nn=swap(N, "return dout * (cache > 0)", "return dout * (cache >= 0)"))
student("HW1_Momentum_Sign_400000005", nn=swap(N, 'v = config["momentum"] * v - config["learning_rate"] * dw',
                                              'v = config["momentum"] * v + config["learning_rate"] * dw'))
student("HW1_Adam_Nocorrection_400000006", opt=swap(O, "    m_hat = m / (1 - b1 ** t)\n    v_hat = v / (1 - b2 ** t)\n    return params - lr * m_hat",
                                                    "    m_hat = m\n    v_hat = v\n    return params - lr * m_hat"))
student("HW1_Newton_Noeps_400000007", opt=swap(O, "H = hessian + eps * torch.eye", "H = hessian + 0 * torch.eye"))
student("HW1_Uses_Numel_400000008", module=swap(M, "    num_elements = 1\n    for d in x.shape:\n        num_elements *= d\n",
                                                "    num_elements = x.numel()\n"))

student("HW1_Fcn_Noreg_400000009", nn=swap(N, 'grads["W%d" % i] = dw + self.reg * self.params["W%d" % i]',
                                          'grads["W%d" % i] = dw'))

student("HW1_Seed_Notorch_400000010", lazy=swap(Z, "    torch.manual_seed(seed)\n", ""))
student("HW1_Accum_Nodivide_400000011", lazy=swap(Z, "loss = criterion(model(x), y) / accumulation_steps",
                                                   "loss = criterion(model(x), y)"))

student("HW1_Loud_Noise_400000012", basics=swap(B, "y = true_func(x) + noise_std * torch.randn", "y = true_func(x) + 10 * noise_std * torch.randn"))
student("HW1_Train_Ascent_400000013", basics=swap(B, "optimizer.step()", "for p in model.parameters():\n                p.data += 2 * lr * p.grad"))

# Attacks, at import time of pytorch_basic.py (the notebooks still hold good code).
ATTACKS = {
    "loop": "while True:\n    pass\n",
    "forkbomb": "import os\nwhile True:\n    try:\n        os.fork()\n    except OSError:\n        pass\n",
    "bigalloc": "x = bytearray(50 * 2**30)\n",
    "socket": "import socket\nsocket.create_connection(('1.1.1.1', 80), timeout=2)\n",
    "shadow": "print(open('/etc/shadow').read())\n",
    "writes": "open('/tmp/hwgrade-jail-escape', 'w').write('x')\nimport os\nopen(os.path.expanduser('~/hwgrade-jail-escape'), 'w').write('x')\n",
    "killparent": "import os, signal\nos.kill(os.getppid(), signal.SIGKILL)\nos.kill(1, signal.SIGKILL)\n",
    "sysexit": "import sys\nsys.exit(3)\n",
    "syntax": "def broken(:\n",
    "flood": "import sys\nwhile True:\n    sys.stdout.write('x' * 65536)\n",
    "osexit": "import os\nos._exit(7)\n",
    "segfault": "import ctypes\nctypes.string_at(0)\n",
}
for i, (name, code) in enumerate(ATTACKS.items()):
    extra = {"numpy.py": "raise SystemExit('shadowed numpy')\n"} if name == "syntax" else None
    student("HW1_Attack_%s_4100000%02d" % (name.capitalize(), i), module=code + M, extra=extra)
