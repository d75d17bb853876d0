from django.urls import path

from . import references

urlpatterns = [
    path("ref/song/<int:pk>/", references.song_row),
    path("ref/songs/", references.song_list),
    path("tutorial/songs/", references.TutorialSongList.as_view()),
    path("tutorial/songs/<int:pk>/", references.TutorialSongDetail.as_view()),
]
