"""Users, roles, login with lockout, manager overrides.

Passwords/PINs are hashed with argon2id behind the :class:`~cashier.services.ports.credentials.PasswordHasher`
port. Permissions are checked here (the UI only hides buttons): every service re-reads the acting
user from the store, so a locked or demoted user loses their rights at once.

Public API (UI, CLI): ``login``, ``add_user``, ``list_users``, ``change_password``, ``lock``,
``unlock``, ``set_role``, ``authorise`` (manager override), ``check`` (permission + override),
``require`` (the guard every service calls: acting user + permission, no way past with None),
``has_users``.
"""

from __future__ import annotations

from datetime import timedelta

from cashier.core.clock import Clock, SystemClock
from cashier.core.errors import AuthenticationFailed, InvalidInput, NotFound, PermissionDenied
from cashier.core.ledger import Approval, Permission, Role, User, permission_name
from cashier.core.vntext import clean
from cashier.services.ports.credentials import PasswordHasher
from cashier.services.ports.settings import SettingsStore
from cashier.services.ports.users import UserStore

_NAME_OK = set("abcdefghijklmnopqrstuvwxyz0123456789._-")


def normalise_username(username: str) -> str:
    name = (username or "").strip().lower()
    if not 2 <= len(name) <= 32 or not set(name) <= _NAME_OK:
        raise InvalidInput("users.bad_name", username=username)
    return name


class UsersService:
    def __init__(
        self, store: UserStore, settings: SettingsStore, hasher: PasswordHasher, clock: Clock | None = None
    ) -> None:
        self.store = store
        self.settings = settings
        self.hasher = hasher
        self.clock = clock or SystemClock()
        self._dummy_hash: str | None = None
        self._used_approvals: set[int] = set()

    @property
    def _station(self) -> str:
        """The station whose journal records a change to a user."""
        return self.settings.ledger().station

    def _update(self, target: User, actor: User, event: str, **changes: object) -> User:
        return self.store.update_user(
            target.id, station=self._station, actor=actor, ts=self.clock.now(), event=event, **changes
        )

    # -- queries --------------------------------------------------------------------------
    def has_users(self) -> bool:
        return self.store.count_users() > 0

    def get(self, username: str) -> User:
        found = self.store.user_by_name(normalise_username(username))
        if found is None:
            raise NotFound("users.unknown", username=username)
        return found[0]

    def by_id(self, user_id: int) -> User | None:
        return self.store.user_by_id(user_id)

    def refresh(self, user: User) -> User:
        """The user as stored now; refuses a disabled or locked account."""
        fresh = self.store.user_by_id(user.id)
        if fresh is None:
            raise AuthenticationFailed()
        self._refuse_locked(fresh)
        return fresh

    def list_users(self, actor: User) -> list[User]:
        self._require_any(actor, Permission.MANAGE_USERS, Permission.VIEW_REPORTS)
        return self.store.list_users()

    # -- login ----------------------------------------------------------------------------
    def _refuse_locked(self, user: User) -> None:
        if not user.active:
            raise AuthenticationFailed("users.inactive", username=user.username)
        if user.locked:
            raise AuthenticationFailed("users.locked", username=user.username)
        if user.locked_until is not None and user.locked_until > self.clock.now():
            raise AuthenticationFailed(
                "users.locked_until",
                username=user.username,
                attempts=user.failed_attempts,
                until=user.locked_until.strftime("%H:%M %d/%m/%Y"),
            )

    def login(self, username: str, password: str) -> User:
        """Check credentials; counts failures and locks the account after too many."""
        try:
            name = normalise_username(username)
        except InvalidInput:
            raise AuthenticationFailed() from None
        found = self.store.user_by_name(name)
        if found is None:
            # same work as a real check, so timing does not tell which names exist
            if self._dummy_hash is None:
                self._dummy_hash = self.hasher.hash("not-a-password")
            self.hasher.verify(self._dummy_hash, password or "")
            raise AuthenticationFailed()
        user, hashed = found
        self._refuse_locked(user)
        if not self.hasher.verify(hashed, password or ""):
            settings = self.settings.ledger()
            now = self.clock.now()
            # a lock that has run out gives a fresh count
            restart = user.locked_until is not None and user.locked_until <= now
            failures = 1 if restart else user.failed_attempts + 1
            lock_until = None
            if failures >= settings.max_failed_logins:
                lock_until = now + timedelta(minutes=settings.lockout_minutes)
            self.store.login_failed(user.id, now, lock_until, station=self._station, restart=restart)
            raise AuthenticationFailed()
        rehash = self.hasher.hash(password) if self.hasher.needs_rehash(hashed) else None
        if user.failed_attempts or user.locked_until or rehash:
            self.store.login_succeeded(user.id, rehash, self.clock.now(), station=self._station)
            user = self.store.user_by_id(user.id) or user
        return user

    # -- permissions and overrides -----------------------------------------------------------
    def _require_any(self, actor: User, *perms: Permission) -> User:
        fresh = self.refresh(actor)
        if not any(fresh.can(p) for p in perms):
            fresh.require(perms[0])
        return fresh

    def require(self, actor: User | None, permission: Permission | str, *, bootstrap: bool = False) -> User | None:
        """The guard the services call before a use case that changes money, data or settings.

        Returns the acting user as stored now (a locked, disabled or demoted user is refused at
        once). ``actor=None`` is refused, except with ``bootstrap`` on a station that has no
        user yet (the very first import of an empty station): then None is returned.
        """
        perm = Permission(permission)
        if actor is None:
            if bootstrap and not self.has_users():
                return None
            raise AuthenticationFailed("users.need_user", action=permission_name(perm))
        fresh = self.refresh(actor)
        fresh.require(perm)
        return fresh

    def authorise(
        self, username: str, password: str, permission: Permission | str, for_user: User, reason: str = ""
    ) -> Approval:
        """A manager authorises one action for ``for_user`` with their own credentials.

        The override is recorded (table ``override`` and a journal entry) at once.
        """
        perm = Permission(permission)
        approver = self.login(username, password)
        if approver.id == for_user.id:
            raise PermissionDenied("users.override_self")
        approver.require(Permission.AUTHORISE)
        approver.require(perm)
        oid = self.store.add_override(
            station=self._station, permission=perm.value, approver=approver, for_user=for_user, reason=reason, ts=self.clock.now()
        )
        return Approval(approver=approver, permission=perm, for_user_id=for_user.id, override_id=oid, reason=reason)

    def check(self, user: User, permission: Permission | str, approval: Approval | None = None) -> tuple[User, User | None]:
        """(fresh user, approver or None). Refuses unless the user has the permission or a
        manager's unused approval for exactly this permission and user is given."""
        perm = Permission(permission)
        fresh = self.refresh(user)
        if fresh.can(perm):
            return fresh, None
        if approval is not None and approval.permission is perm and approval.for_user_id == fresh.id:
            if approval.override_id in self._used_approvals:
                raise PermissionDenied("users.approval_used")
            approver = self.refresh(approval.approver)
            if approver.can(perm) and approver.can(Permission.AUTHORISE):
                self._used_approvals.add(approval.override_id)
                return fresh, approver
        fresh.require(perm)
        raise AssertionError("unreachable")  # pragma: no cover

    # -- changes --------------------------------------------------------------------------
    def _check_password(self, password: str) -> None:
        n = self.settings.ledger().min_password_length
        if len(password or "") < n:
            raise InvalidInput("users.short_password", n=n)

    def add_user(
        self,
        username: str,
        password: str,
        role: Role | str,
        *,
        full_name: str = "",
        cashier_code: str = "",
        actor: User | None = None,
    ) -> User:
        """Add a user. On an empty station the first user (an admin) needs no actor."""
        name = normalise_username(username)
        try:
            role = Role(role)
        except ValueError:
            raise InvalidInput("users.role", role=str(role)) from None
        self._check_password(password)
        first = actor is None
        if actor is None:
            if self.has_users():
                raise PermissionDenied("users.not_first")
            if role is not Role.ADMIN:
                raise InvalidInput("users.first_admin")
        else:
            actor = self._require_any(actor, Permission.MANAGE_USERS)
        return self.store.add_user(
            station=self._station,
            username=name,
            full_name=clean(full_name),
            role=role,
            cashier_code=clean(cashier_code).upper(),
            password_hash=self.hasher.hash(password),
            actor=actor,
            ts=self.clock.now(),
            only_if_empty=first,
        )

    def change_password(self, username: str, new_password: str, *, actor: User) -> User:
        target = self.get(username)
        actor = self.refresh(actor)
        if actor.id != target.id:
            actor.require(Permission.MANAGE_USERS)
        self._check_password(new_password)
        return self._update(target, actor, "passwd", password_hash=self.hasher.hash(new_password))

    def lock(self, username: str, *, actor: User) -> User:
        target = self.get(username)
        actor = self._require_any(actor, Permission.MANAGE_USERS)
        if actor.id == target.id:
            raise PermissionDenied("users.self_lock")
        return self._update(target, actor, "lock", locked=True)

    def unlock(self, username: str, *, actor: User) -> User:
        target = self.get(username)
        actor = self._require_any(actor, Permission.MANAGE_USERS)
        return self._update(target, actor, "unlock", locked=False, locked_until=None, failed_attempts=0)

    def set_role(self, username: str, role: Role | str, *, actor: User) -> User:
        target = self.get(username)
        actor = self._require_any(actor, Permission.MANAGE_USERS)
        try:
            role = Role(role)
        except ValueError:
            raise InvalidInput("users.role", role=str(role)) from None
        return self._update(target, actor, "role", role=role)

    def update_details(
        self, username: str, *, actor: User, full_name: str | None = None, cashier_code: str | None = None
    ) -> User:
        target = self.get(username)
        actor = self._require_any(actor, Permission.MANAGE_USERS)
        changes = {}
        if full_name is not None:
            changes["full_name"] = clean(full_name)
        if cashier_code is not None:
            changes["cashier_code"] = clean(cashier_code).upper()
        return self._update(target, actor, "details", **changes)

    def set_active(self, username: str, active: bool, *, actor: User) -> User:
        target = self.get(username)
        actor = self._require_any(actor, Permission.MANAGE_USERS)
        if actor.id == target.id and not active:
            raise PermissionDenied("users.self_lock")
        return self._update(target, actor, "active" if active else "disable", active=active)
