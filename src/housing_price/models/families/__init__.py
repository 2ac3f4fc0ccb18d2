"""Model families: each module defines one `FAMILY` (see `ModelFamily`)."""
