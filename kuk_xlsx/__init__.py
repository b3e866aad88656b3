"""kuk_xlsx: training workbooks for NGO organisational development (kk/ru/en)."""

__version__ = "0.1.0"
