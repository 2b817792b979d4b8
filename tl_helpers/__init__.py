"""Helpers for the hands-on transfer learning and ResNet notebook series."""
from .config import QUICK, data_root, get_device, pick, seed_everything

__all__ = ["QUICK", "data_root", "get_device", "pick", "seed_everything"]
