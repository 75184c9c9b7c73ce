"""Background tasks of the certification app (signing large files is never in a request)."""

from django_tasks import task


@task()
def sign_certification(certification_id: int) -> str:
    from .services.signing import run

    return run(certification_id)
