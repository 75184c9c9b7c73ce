# The certification tests' fixtures, for the certified copies over the API.
from tests.certification.conftest import copy_procedure  # noqa: F401
from tests.certification.test_certify import at_the_desk, keys  # noqa: F401
from tests.dossiers.conftest import staff  # noqa: F401
