import torch


def hello():
    """Prints a line that shows the module was imported."""
    print("Hello from pytorch_basic.py!")


def create_sample_tensor():
    """A (3, 2) tensor of zeros but for [0, 1] = 10 and [1, 0] = 100."""
    x = torch.zeros(3, 2)
    x[0, 1] = 10
    x[1, 0] = 100
    return x


def mutate_tensor(x, indices, values):
    """Sets x[i, j] = v for each (i, j) tuple in indices and v in values, in
    place (a repeated index keeps its last value); returns x."""
    for (i, j), v in zip(indices, values):
        x[i, j] = v
    return x


def count_tensor_elements(x):
    """The number of elements of x, as a Python int, without numel; x unchanged."""
    num_elements = 1
    for d in x.shape:
        num_elements *= d
    return num_elements


def create_tensor_of_pi(M, N):
    """An (M, N) tensor filled with 3.14."""
    return torch.full((M, N), 3.14)


def multiples_of_ten(start, stop):
    """The multiples of ten in [start, stop] as a float64 tensor, shape (0,) when none."""
    first = start + (-start) % 10
    if first > stop:
        return torch.zeros(0, dtype=torch.float64)
    return torch.arange(first, stop + 1, 10, dtype=torch.float64)


def slice_indexing_practice(x):
    """For x of shape (M, N), M >= 3, N >= 5, one slice each: the last row (N,),
    the third column (M, 1), the first two rows by three columns (2, 3), and
    the even rows by odd columns. x unchanged."""
    last_row = x[-1, :]
    third_col = x[:, 2:3]
    first_two_rows_three_cols = x[:2, :3]
    even_rows_odd_cols = x[::2, 1::2]
    return last_row, third_col, first_two_rows_three_cols, even_rows_odd_cols


def slice_assignment_practice(x):
    """Writes the pattern 0 1 2 2 2 2 / 0 1 2 2 2 2 / 3 4 3 4 5 5 / 3 4 3 4 5 5
    into x[:4, :6] in place with at most six slice assignments; returns x."""
    x[:2, 0] = 0
    x[:2, 1] = 1
    x[:2, 2:6] = 2
    x[2:4, 0:4:2] = 3
    x[2:4, 1:4:2] = 4
    x[2:4, 4:6] = 5
    return x


def shuffle_cols(x):
    """An (M, 4) tensor of the columns 0, 0, 2, 1 of x."""
    return x[:, [0, 0, 2, 1]]


def reverse_rows(x):
    """x with its rows in reverse order; x unchanged."""
    return x[torch.arange(x.shape[0] - 1, -1, -1)]


def take_one_elem_per_col(x):
    """The (3,) tensor x[1, 0], x[0, 1], x[3, 2]."""
    return x[[1, 0, 3], [0, 1, 2]]


def count_negative_entries(x):
    """How many entries of x are negative, as an int, with no loop."""
    return int((x < 0).sum().item())


def make_one_hot(x):
    """For a list of N ints, a float32 (N, 1 + max(x)) tensor of one-hot rows."""
    y = torch.zeros(len(x), max(x) + 1, dtype=torch.float32)
    y[torch.arange(len(x)), x] = 1
    return y


def reshape_practice(x):
    """For x of shape (24,), the (3, 8) tensor whose row r is x[4r:4r+4] then x[12+4r:12+4r+4]."""
    return x.view(2, 3, 4).transpose(0, 1).reshape(3, 8)


def zero_row_min(x):
    """A copy of x with each row's smallest value set to 0."""
    y = x.clone()
    y[y == y.min(dim=1, keepdim=True).values] = 0
    return y


def batched_matrix_multiply(x, y, use_loop=True):
    """(B, N, M) by (B, M, P) into (B, N, P), in the dtype of x: a loop over the
    batch, or (use_loop=False) one batched operation."""
    if use_loop:
        return torch.stack([x[i] @ y[i] for i in range(x.shape[0])])
    return torch.bmm(x, y)


def normalize_columns(x):
    """(x - column mean) / column std, the std unbiased (divided by M - 1)."""
    return (x - x.mean(dim=0)) / x.std(dim=0)


def mm_on_cpu(x, w):
    """Given: the product x @ w on the CPU."""
    return x.mm(w)


def mm_on_gpu(x, w):
    """x @ w computed on the GPU, returned on the CPU."""
    return x.cuda().mm(w.cuda()).cpu()
