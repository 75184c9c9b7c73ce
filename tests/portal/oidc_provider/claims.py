from typing import Any

from oauth2_provider.oauth2_validators import OAuth2Validator

from .models import Profile


class ProfileClaimsValidator(OAuth2Validator):
    # Claims missing from this map are dropped, so the custom one needs a scope.
    oidc_claim_scope = {**OAuth2Validator.oidc_claim_scope, "personal_id": "profile"}

    def get_additional_claims(self, request: Any) -> dict[str, Any]:
        profile = Profile.objects.filter(user=request.user).first()
        return dict(profile.claims) if profile else {}
