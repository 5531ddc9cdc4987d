"""An ariadne-codegen plugin that refuses operation names which would shadow client methods."""
