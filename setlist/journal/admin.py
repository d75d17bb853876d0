"""Admin for the journal: posts (with a sanitised preview of the body), comments, tags."""

from django.contrib import admin
from django.db.models import Count
from django.utils.safestring import mark_safe

from .models import Comment, Post, Tag
from .rendering import render_markdown


class CommentInline(admin.TabularInline):
    model = Comment
    extra = 0
    fields = ["author", "body", "created_at"]
    readonly_fields = ["created_at"]
    raw_id_fields = ["author"]


@admin.register(Post)
class PostAdmin(admin.ModelAdmin):
    list_display = ["title", "slug", "author", "favorite_count", "created_at"]
    list_filter = ["created_at", "tags"]
    search_fields = ["title", "slug", "description", "author__username"]
    list_select_related = ["author"]
    raw_id_fields = ["author"]
    filter_horizontal = ["tags"]
    readonly_fields = ["favorite_count", "created_at", "updated_at", "body_preview"]
    fields = [
        "title",
        "slug",
        "author",
        "description",
        "body",
        "body_preview",
        "tags",
        "favorite_count",
        "created_at",
        "updated_at",
    ]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [CommentInline]
    date_hierarchy = "created_at"

    def save_model(self, request, obj: Post, form, change: bool) -> None:
        if not change:
            super().save_model(request, obj, form, change)
            return
        # Never write `favorite_count` back: concurrent favourites move it with F().
        fields = [f.name for f in Post._meta.concrete_fields if not f.primary_key]
        obj.save(update_fields=[f for f in fields if f not in ("favorite_count", "created_at")])

    @admin.display(description="Preview")
    def body_preview(self, obj: Post) -> str:
        # Safe to mark: render_markdown returns HTML already sanitised by nh3.
        return mark_safe(render_markdown(obj.body or ""))  # noqa: S308


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = ["id", "post", "author", "created_at"]
    list_filter = ["created_at"]
    search_fields = ["body", "author__username", "post__title", "post__slug"]
    list_select_related = ["post", "author"]
    raw_id_fields = ["post", "author"]


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ["name", "post_count"]
    search_fields = ["name"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(post_count=Count("posts"))

    @admin.display(description="Posts", ordering="post_count")
    def post_count(self, obj: Tag) -> int:
        return obj.post_count
