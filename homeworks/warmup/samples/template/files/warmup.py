"""NumPy warm-up. Write the four functions below with NumPy; hand in
HW0_[First]_[Last]_[StudentId].zip holding this file."""
import numpy as np


def softmax(x):
    """Row-wise softmax of x (N, K): each row's entries exp(x_ij) / sum_j exp(x_ij).
    Must stay finite for entries in the thousands."""
    raise NotImplementedError


def standardize(x):
    """Columns of x (N, D) to mean 0 and standard deviation 1 (np.std's default,
    ddof=0); a constant column becomes 0."""
    raise NotImplementedError


def pairwise_distances(a, b):
    """Euclidean distances between the rows of a (N, D) and the rows of b (M, D): (N, M)."""
    raise NotImplementedError


def one_hot(labels, k):
    """labels (N,) of integers in [0, k) as float one-hot rows (N, k)."""
    raise NotImplementedError
