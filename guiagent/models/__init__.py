"""Chat models: the ``ChatModel`` protocol, message types, output parsing and clients."""

from guiagent.models.base import (
    ChatModel,
    ImagePart,
    Message,
    Usage,
    UsageMeter,
    estimate_tokens,
    image_part,
)
from guiagent.models.parsing import extract_json, parse_output

__all__ = [
    "ChatModel",
    "ImagePart",
    "Message",
    "Usage",
    "UsageMeter",
    "estimate_tokens",
    "extract_json",
    "image_part",
    "parse_output",
]
