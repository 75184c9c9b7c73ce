"""A demo certificate authority and keys for a unit's signers and organisation.

NOT for production: production loads the keys the national CA issued (SigningKey rows in the
admin, each naming the environment variable that holds its password).
"""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from motcua.certification.models import KeyKind, SigningKey
from motcua.certification.pki import create_demo_pki
from motcua.certification.services.register import settings_for
from motcua.core.models import AdministrativeUnit, Position, Role, RoleAssignment
from motcua.core.services import audit
from motcua.core.varpaths import relative_to_var_dir

PASSWORD_ENV = "MOTCUA_DEMO_PKI_PASSWORD"


class Command(BaseCommand):
    help = "Create a demo CA and PKCS#12 keys for a unit's Chairman, Vice-chairmen and committee."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("--unit", default="22924", help="unit code (default: the demo ward)")
        parser.add_argument("--overwrite", action="store_true")

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        if options["verbosity"] == 0:
            self.stdout.write = lambda *a, **k: None  # type: ignore[method-assign]
        unit = AdministrativeUnit.objects.filter(code=options["unit"]).first()
        if unit is None:
            raise CommandError(f"Không có đơn vị mã {options['unit']}.")
        if SigningKey.objects.filter(unit=unit).exists() and not options["overwrite"]:
            self.stdout.write("Khóa mẫu đã có; dùng --overwrite để tạo lại.")
            return
        leaders = list(
            RoleAssignment.objects.filter(
                unit=unit,
                role=Role.LEADER,
                is_active=True,
                position__in=[Position.CHAIRMAN, Position.VICE_CHAIRMAN],
            ).select_related("user")
        )
        if not leaders:
            raise CommandError("Đơn vị chưa có Chủ tịch hoặc Phó Chủ tịch.")
        directory = Path(settings.VAR_DIR) / "pki" / unit.code
        pki = create_demo_pki(
            directory,
            organisation=unit.committee_name,
            province=unit.province.name,
            signers=[(a.user.get_full_name(), a.get_position_display()) for a in leaders],
            password=settings.MOTCUA_DEMO_PKI_PASSWORD.encode(),
            overwrite=True,
        )
        with transaction.atomic():
            SigningKey.objects.filter(unit=unit).update(is_active=False)
            SigningKey.objects.filter(unit=unit, is_active=False).delete()
            SigningKey.objects.create(
                unit=unit,
                kind=KeyKind.ORGANISATION,
                p12_path=relative_to_var_dir(pki.organisation),
                password_env=PASSWORD_ENV,
            )
            for assignment, path in zip(leaders, pki.signers, strict=True):
                SigningKey.objects.create(
                    unit=unit,
                    kind=KeyKind.SIGNER,
                    user=assignment.user,
                    p12_path=relative_to_var_dir(path),
                    password_env=PASSWORD_ENV,
                )
            unit_settings = settings_for(unit)
            unit_settings.trust_roots = relative_to_var_dir(pki.ca_certificate)
            unit_settings.save()
            audit.record(
                actor=None, action="certification.demo_keys", unit=unit,
                object_type="certification.signingkey", object_repr=str(directory),
                after={"signers": pki.signer_subjects, "organisation": pki.organisation_subject},
            )  # fmt: skip
        self.stdout.write(f"Khóa mẫu (không dùng thật) tại {directory}: {len(leaders)} người ký.")
