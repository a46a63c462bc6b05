"""The measures: entropy, cross-entropy and KL divergence, and the maths the lecture uses.

The bottom layer. It knows nothing of the lecture, matplotlib or MkDocs (the import
contract in ``pyproject.toml`` checks it): distributions as arrays, the discrete measures
(`kl.measures.discrete`), Gaussian closed forms (`kl.measures.gaussian`), numeric
continuous KL (`kl.measures.continuous`), fitting by KL (`kl.measures.fitting`),
Huffman and block codes (`kl.measures.coding`, `kl.measures.block_codes`) and the
probability simplex (`kl.measures.simplex`).
"""
