from django.apps import AppConfig


class AreasConfig(AppConfig):
    name = "areas"
    verbose_name = "Local areas"

    def ready(self):
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from areas.models import LocalArea

        # An admin edit (a new alternative name, a replaced-by link) must reach this process's cached name
        # resolver at once; other processes pick it up when their cache expires (resolver.CACHE_SECONDS).
        post_save.connect(_clear_register_cache, sender=LocalArea, dispatch_uid="areas-register-save")
        post_delete.connect(_clear_register_cache, sender=LocalArea, dispatch_uid="areas-register-delete")
        m2m_changed.connect(
            _clear_register_cache, sender=LocalArea.replaced_by.through, dispatch_uid="areas-register-m2m"
        )


def _clear_register_cache(**kwargs):
    from areas.resolver import AreaRegister

    AreaRegister.clear_cache()
