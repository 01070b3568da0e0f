import torch


def hello():
    print("Hello from pytorch_basic.py!")


def create_sample_tensor():
    x = torch.zeros(3, 2)
    x[0, 1] = 10
    x[1, 0] = 100
    return x


def mutate_tensor(x, indices, values):
    for (i, j), v in zip(indices, values):
        x[i, j] = v
    return x


def count_tensor_elements(x):
    num_elements = 1
    for d in x.shape:
        num_elements *= d
    return num_elements


def create_tensor_of_pi(M, N):
    return torch.full((M, N), 3.14)


def multiples_of_ten(start, stop):
    first = start + (-start) % 10
    if first > stop:
        return torch.zeros(0, dtype=torch.float64)
    return torch.arange(first, stop + 1, 10, dtype=torch.float64)


def slice_indexing_practice(x):
    last_row = x[-1, :]
    third_col = x[:, 2:3]
    first_two_rows_three_cols = x[:2, :3]
    even_rows_odd_cols = x[::2, 1::2]
    return last_row, third_col, first_two_rows_three_cols, even_rows_odd_cols


def slice_assignment_practice(x):
    x[:2, 0] = 0
    x[:2, 1] = 1
    x[:2, 2:6] = 2
    x[2:4, 0:4:2] = 3
    x[2:4, 1:4:2] = 4
    x[2:4, 4:6] = 5
    return x


def shuffle_cols(x):
    return x[:, [0, 0, 2, 1]]


def reverse_rows(x):
    return x[torch.arange(x.shape[0] - 1, -1, -1)]


def take_one_elem_per_col(x):
    return x[[1, 0, 3], [0, 1, 2]]


def count_negative_entries(x):
    return int((x < 0).sum().item())


def make_one_hot(x):
    y = torch.zeros(len(x), max(x) + 1, dtype=torch.float32)
    y[torch.arange(len(x)), x] = 1
    return y


def reshape_practice(x):
    return x.view(2, 3, 4).transpose(0, 1).reshape(3, 8)


def zero_row_min(x):
    y = x.clone()
    y[y == y.min(dim=1, keepdim=True).values] = 0
    return y


def batched_matrix_multiply(x, y, use_loop=True):
    if use_loop:
        return torch.stack([x[i] @ y[i] for i in range(x.shape[0])])
    return torch.bmm(x, y)


def normalize_columns(x):
    return (x - x.mean(dim=0)) / x.std(dim=0)


def mm_on_cpu(x, w):
    return x.mm(w)


def mm_on_gpu(x, w):
    return x.cuda().mm(w.cuda()).cpu()
