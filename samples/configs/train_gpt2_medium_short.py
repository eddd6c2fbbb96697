# nanoGPT-style config (run as: torchrun --nproc_per_node=8 train.py config/train_gpt2_medium_short.py)
# A GPT-2 medium-sized model on a short schedule: hover a key to see that it is under-trained,
# and use the quick fix to set max_iters for about 20 tokens per parameter.

out_dir = 'out-gpt2-medium'
dataset = 'openwebtext'

# model: GPT-2 medium (about 350M parameters)
n_layer = 24
n_head = 16
n_embd = 1024
block_size = 1024
vocab_size = 50304   # 50257 padded to a multiple of 64
bias = False
dropout = 0.0

# 16 sequences per GPU * 1024 tokens * 32 accumulation steps (global) = 524,288 tokens per iteration
batch_size = 16
gradient_accumulation_steps = 4 * 8
max_iters = 2_000
lr_decay_iters = max_iters

learning_rate = 3e-4
min_lr = learning_rate / 10
warmup_iters = 200
weight_decay = 1e-1
