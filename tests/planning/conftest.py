from tests.reports.conftest import march as march
from tests.reports.conftest import staff as staff
from tests.site.conftest import website as website
