from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from motcua.core.services.audit import chains, verify_chain


class Command(BaseCommand):
    help = "Check every audit chain and report the first broken link of each."

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        names = list(chains())
        broken = [link for link in map(verify_chain, names) if link]
        for link in broken:
            self.stderr.write(
                _("Chain %(chain)s: the first broken link is event #%(seq)d (%(problem)s).")
                % {"chain": link.chain, "seq": link.seq, "problem": link.problem}
            )
        counts = {"broken": len(broken), "checked": len(names)}
        if broken:
            raise CommandError(_("%(broken)d of %(checked)d audit chains are broken.") % counts)
        self.stdout.write(_("The audit log is intact: %(checked)d chains checked.") % counts)
