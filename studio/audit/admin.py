from django.contrib import admin

from studio.audit.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: the admin can browse the log but never add, change or delete an event."""

    list_display = ["created_at", "actor_name", "team", "action", "object_type", "object_repr"]
    list_filter = ["action", "team", "object_type"]
    search_fields = ["actor_name", "object_repr", "action"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
