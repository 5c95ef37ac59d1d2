"""The drawing page: a trained model as a static web page (lesson 08, take it to the web).

`export_web(out, model_path)` writes it; `digitlab.web.runtime` fetches ONNX Runtime Web.
"""

from digitlab.web.export import export_onnx, export_web, folder_sizes, page_config

__all__ = ["export_onnx", "export_web", "folder_sizes", "page_config"]
