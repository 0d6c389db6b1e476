"""The earlier name of `handbook.core.tasklist`, kept so that a mkdocs.yml naming
`handbook.site.tasklist` still builds; name `handbook.core.tasklist` in new projects."""

from ..core.tasklist import TasklistLabels, makeExtension  # noqa: F401 - re-exported

__all__ = ["TasklistLabels", "makeExtension"]
