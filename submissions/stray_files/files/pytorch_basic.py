import torch


def hello():
    print("Hello from pytorch_basic.py!")


def create_sample_tensor():
    x = torch.zeros(3, 2)
    x[0, 1] = 10
    x[1, 0] = 100
    return x
