"""API authentication: a bearer token from ``POST /api/v1/auth/token``, or the browser session
(so the docs page works for a signed-in user; ninja enforces CSRF for session writes)."""

from ninja.security import APIKeyCookie, HttpBearer

from shegong.accounts.services import token_authenticate


class BearerToken(HttpBearer):
    def authenticate(self, request, token):
        user = token_authenticate(token)
        if user is not None:
            request.user = user
        return user


class SessionAuth(APIKeyCookie):
    param_name = "sessionid"

    def authenticate(self, request, key):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.is_active:
            return user
        return None


api_auth = [BearerToken(), SessionAuth()]
