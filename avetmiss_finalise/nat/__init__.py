"""The NAT file layer: layouts, codec, reading and writing. The only package that knows character positions."""
