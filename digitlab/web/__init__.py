"""The drawing page: a trained model as a static web page (lesson 08, take it to the web).

`export_web(out, model_path)` writes it; `digitlab.web.runtime` fetches ONNX Runtime Web.
The names below are loaded on first use, so `python -m digitlab.web.runtime` runs that
module once, not twice.
"""

__all__ = ["export_onnx", "export_web", "folder_sizes", "page_config"]


def __getattr__(name: str):
    if name in __all__:
        from digitlab.web import export

        return getattr(export, name)
    raise AttributeError(f"module 'digitlab.web' has no attribute {name!r}")
