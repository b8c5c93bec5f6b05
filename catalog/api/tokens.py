"""API tokens end when their user's password changes.

DRF's token is a stand-in for the password that lasts until its row is deleted:
``ObtainAuthToken`` hands back the same key forever, so a key copied before a password change
(or by whoever learnt the old password) would keep working after it. Here a user's token is
deleted when the stored password changes; the old key then answers 401, and the token
endpoint (``get_or_create``) makes a new key at the next login with the new password.

How it is hooked: a ``pre_save`` receiver on ``settings.AUTH_USER_MODEL`` compares the
password about to be stored with the stored one, and a ``post_save`` receiver deletes the
token once the new password is saved (a save that fails keeps it). Model signals are
Django's documented public hook for "this row is about to change", and comparing the stored
column sees every way a password is changed through the ORM: ``set_password`` (the admin's
password form, Django's password change and reset views, ``changepassword``,
``createsuperuser``), ``set_unusable_password`` (the admin's "password-based
authentication: disabled"), and a hash assigned directly. A save that leaves the password as
it was (a name edited, ``last_login`` updated at login with ``update_fields``) keeps the
token and, with ``update_fields`` naming no password, costs no query.

The rule is the one Django applies to sessions: a session carries an HMAC of the stored
password hash (``get_session_auth_hash``) and ends when that hash changes. That includes the
re-hash Django does at a password login after an upgrade raises the hasher's work factor: it
ends the user's other sessions, and here the token too (the token endpoint, if that login
was its own, already answers with the new key).

Not chosen: a password validator's ``password_changed()`` hook (called by
``AbstractBaseUser.save()`` after ``set_password``) lives in a setting that a deployment or
a test can drop, is not called by ``set_unusable_password``, and adds a line to every
password form's rules; a custom user model overriding ``set_password`` would mean swapping
``AUTH_USER_MODEL`` in a project with data. Not seen, as by every signal:
``QuerySet.update(password=...)`` and raw SQL.
"""

from __future__ import annotations

from django.conf import settings
from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver
from rest_framework.authtoken.models import Token

REVOKE = "_api_token_revoke"  # set on the instance between its pre_save and post_save


@receiver(pre_save, sender=settings.AUTH_USER_MODEL, dispatch_uid="catalog.api_token_pre_save")
def note_password_change(sender, instance, raw=False, update_fields=None, **kwargs) -> None:
    """Before a user is saved: is the password about to change?"""
    setattr(instance, REVOKE, False)
    if raw or instance.pk is None:
        return
    if update_fields is not None and "password" not in update_fields:
        return
    stored = (
        sender._default_manager.filter(pk=instance.pk).values_list("password", flat=True).first()
    )
    setattr(instance, REVOKE, stored is not None and stored != instance.password)


@receiver(post_save, sender=settings.AUTH_USER_MODEL, dispatch_uid="catalog.api_token_post_save")
def revoke_token_on_password_change(sender, instance, created=False, **kwargs) -> None:
    """After the new password is stored: the old token no longer authenticates."""
    if getattr(instance, REVOKE, False):
        setattr(instance, REVOKE, False)
        Token.objects.filter(user_id=instance.pk).delete()
