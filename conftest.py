"""Settings for the whole test session (this file sits at the root so that it applies everywhere).

``NNLIB_CHECKS_DEBUG=1``: a bug in an exercise checker's own code raises instead of becoming a
polite "the checker itself failed" note, so no test can pass over it. The variable is set when
pytest starts, so the Jupyter kernels that nbval starts for the notebooks inherit it too.
"""

import os

os.environ["NNLIB_CHECKS_DEBUG"] = "1"
