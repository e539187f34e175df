from django.contrib.auth.models import AbstractUser, Group
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from contactcenter.accounts.audit_labels import action_label, state_label
from contactcenter.accounts.roles import Role, role_name
from contactcenter.lib.translation import TranslatedNameMixin


class Department(TranslatedNameMixin, models.Model):
    """A city department (課) that owns Q&As and answers escalations."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name (Japanese)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    name_zh_hans = models.CharField(_("name (Chinese)"), max_length=200, blank=True)
    name_ko = models.CharField(_("name (Korean)"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("department")
        verbose_name_plural = _("departments")

    def __str__(self) -> str:
        return self.localized_name()


class User(AbstractUser):
    """A member of staff. Citizens never have accounts."""

    display_name = models.CharField(_("display name"), max_length=150, blank=True)
    department = models.ForeignKey(
        Department,
        verbose_name=_("department"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="members",
    )
    # Set when an administrator sets the password: it was told to someone, so the person
    # chooses their own before anything else (accounts.middleware).
    must_change_password = models.BooleanField(_("must change password at next sign-in"), default=False)

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"

    def __str__(self) -> str:
        return self.display_name or self.get_full_name() or self.username

    def roles(self) -> list[Role]:
        """The roles this user holds, in the order of the organisation chart."""
        names = {group.name for group in self.groups.all()}
        return [role for role in Role if role.value in names]

    def has_role(self, role: Role) -> bool:
        return role in self.roles()


class RoleGroup(Group):
    """A role's Group as the admin shows it: under the role's translated name.

    The Group keeps its name (`department_editor`), which code and migrations look it up by.
    """

    class Meta:
        proxy = True
        default_permissions = ()  # managed as auth.Group
        verbose_name = _("role")
        verbose_name_plural = _("roles")

    def __str__(self) -> str:
        return role_name(self.name)


class AuditEvent(models.Model):
    """Who changed the state of what, when, from which state to which, and why.

    Written by the services that publish, withdraw, restore and review (never by views).
    """

    actor = models.ForeignKey(
        User, verbose_name=_("by"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # A plain string owned by the app that records it (knowledgebase.audit, inquiries.audit);
    # its label comes from contactcenter.accounts.audit.action_label.
    action = models.CharField(_("action"), max_length=20)
    content_type = models.ForeignKey(
        "contenttypes.ContentType", verbose_name=_("type"), on_delete=models.PROTECT, related_name="+"
    )
    object_id = models.CharField(_("object"), max_length=40)
    object_repr = models.CharField(_("what"), max_length=200)
    from_state = models.CharField(_("from"), max_length=20, blank=True)
    to_state = models.CharField(_("to"), max_length=20, blank=True)
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit log")
        indexes = [models.Index(fields=["content_type", "object_id", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.action_label()}: {self.object_repr}"

    def save(self, *args: object, **kwargs: object) -> None:
        # Recorded once, never changed: a trail that can be edited proves nothing.
        if not self._state.adding:
            raise ValueError("An audit event cannot be changed.")
        super().save(*args, **kwargs)

    def action_label(self) -> str:
        return action_label(self.action)

    def from_state_label(self) -> str:
        return state_label(self.from_state) if self.from_state else ""

    def to_state_label(self) -> str:
        return state_label(self.to_state) if self.to_state else ""


class RateLimit(models.Model):
    """A counter of one visitor's attempts at one thing in a fixed window, shared by all workers.

    The key is a keyed hash, never the visitor's address itself.
    """

    key = models.CharField(_("key"), max_length=64, unique=True)
    window_start = models.DateTimeField(_("window start"), db_index=True)
    hits = models.PositiveIntegerField(_("hits"), default=0)

    class Meta:
        verbose_name = _("rate limit")
        verbose_name_plural = _("rate limits")

    def __str__(self) -> str:
        return f"{self.key[:8]}… {self.hits}"
