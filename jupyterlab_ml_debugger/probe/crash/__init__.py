"""The kernel half of Crash and Hang: the recorder's files that say where the kernel was when it
died (``recorder``, ``kernel_files``; the Jupyter server extension ``jupyterlab_ml_debugger/server/``
reads them after the death), and the ``hang`` op (``ops``): how long the running cell's main thread
has stood still, how, where, and its DataLoader workers.
"""
