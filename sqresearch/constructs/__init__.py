"""constructs stage."""
