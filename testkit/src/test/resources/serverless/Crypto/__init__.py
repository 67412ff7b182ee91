# Debian's python3-pycryptodome installs PyCryptodome as `Cryptodome` only; Vast's worker library imports `Crypto`.
# This alias makes `Crypto.X` load `Cryptodome`'s modules (same files, same behaviour).
import Cryptodome

__path__ = Cryptodome.__path__
