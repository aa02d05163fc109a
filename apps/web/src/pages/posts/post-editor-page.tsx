import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useRef, useState, type ChangeEvent, type FormEvent } from 'react';
import { useNavigate, useParams } from 'react-router';
import { ApiError, describeError } from '../../api/api-client';
import { IMAGE_UPLOAD, postPath, postsApi, type EditablePost, type PostKind } from '../../api/posts.api';
import { queryKeys } from '../../api/query-keys';
import { Button, ButtonLink } from '../../components/button';
import { Dialog } from '../../components/dialog';
import { EmptyState, ErrorState } from '../../components/empty-state';
import { Field, FormError } from '../../components/field';
import { ExternalIcon, RocketIcon, SaveIcon, TrashIcon, UploadIcon } from '../../components/icons';
import { Input, Select, Textarea } from '../../components/input';
import { PageHeader } from '../../components/page-header';
import { LoadingBlock } from '../../components/spinner';
import { Tabs } from '../../components/tabs';
import { useToast } from '../../components/toast';
import { slugFromTitle } from '../../lib/slug';
import { useDocumentTitle } from '../../lib/use-document-title';
import { useSignedInAccount } from '../../session/session';
import { PostStatusBadge } from './post-status-badge';

interface PostForm {
  kind: PostKind;
  title: string;
  slug: string;
  summary: string;
  bodyMarkdown: string;
}

const EMPTY: PostForm = { kind: 'blog', title: '', slug: '', summary: '', bodyMarkdown: '' };

/** `/admin/posts/new` and `/admin/posts/:postId`. */
export function PostEditorPage() {
  const { postId } = useParams();
  const account = useSignedInAccount();
  const post = useQuery({ queryKey: queryKeys.post(postId ?? ''), queryFn: () => postsApi.get(postId!), enabled: Boolean(postId) && account.isAdmin, retry: false });
  useDocumentTitle(postId ? (post.data?.title ?? 'Post') : 'New post');

  if (!account.isAdmin) {
    return (
      <div className="page">
        <EmptyState title="For instance administrators" description="Only the administrators of this Weft instance write its blog and changelog." />
      </div>
    );
  }
  if (!postId) return <PostEditor key="new" post={null} />;
  if (post.isPending) return <LoadingBlock label="Opening the post…" />;
  if (post.isError) {
    const isMissing = post.error instanceof ApiError && post.error.status === 404;
    return (
      <div className="page">
        {isMissing ? (
          <EmptyState title="This post does not exist" description="It may have been deleted." actions={<ButtonLink to="/admin/posts">All posts</ButtonLink>} />
        ) : (
          <ErrorState error={post.error} onRetry={() => void post.refetch()} />
        )}
      </div>
    );
  }
  return <PostEditor key={post.data.id} post={post.data} />;
}

function PostEditor({ post }: { post: EditablePost | null }) {
  const navigate = useNavigate();
  const toast = useToast();
  const queryClient = useQueryClient();
  const [form, setForm] = useState<PostForm>(() => (post ? { kind: post.kind, title: post.title, slug: post.slug, summary: post.summary, bodyMarkdown: post.bodyMarkdown } : EMPTY));
  const [isSlugEdited, setSlugEdited] = useState(Boolean(post));
  const [tab, setTab] = useState<'write' | 'preview'>('write');
  const [isDeleting, setDeleting] = useState(false);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const textRef = useRef<HTMLTextAreaElement>(null);
  const fileRef = useRef<HTMLInputElement>(null);
  const saved = post ? { kind: post.kind, title: post.title, slug: post.slug, summary: post.summary, bodyMarkdown: post.bodyMarkdown } : EMPTY;
  const isDirty = (Object.keys(form) as (keyof PostForm)[]).some((key) => form[key] !== saved[key]);

  const preview = useQuery({ queryKey: ['posts', 'preview', form.bodyMarkdown], queryFn: () => postsApi.preview(form.bodyMarkdown), enabled: tab === 'preview', staleTime: Infinity });

  const refresh = async (next: EditablePost) => {
    queryClient.setQueryData(queryKeys.post(next.id), next);
    await queryClient.invalidateQueries({ queryKey: ['posts'], refetchType: 'none' });
  };
  const showError = (error: unknown) => {
    if (error instanceof ApiError && error.code === 'POST_SLUG_TAKEN') {
      setFieldErrors({ slug: 'Another post already has this address. Choose another.' });
      setFormError(null);
    } else if (error instanceof ApiError && error.code === 'VALIDATION_FAILED') {
      setFieldErrors(error.fieldErrors());
      setFormError('Some fields need another look.');
    } else setFormError(describeError(error));
  };

  /** Saves what is in the form (a new post becomes a draft); returns the post as stored. */
  const save = async (): Promise<EditablePost> => {
    setFieldErrors({});
    setFormError(null);
    if (!post) return postsApi.create(form);
    if (!isDirty) return post;
    const { kind: _kind, ...changes } = form;
    return postsApi.update(post.id, changes);
  };

  const saveDraft = useMutation({
    mutationFn: save,
    onSuccess: async (next) => {
      await refresh(next);
      toast.showSuccess(post ? 'Changes saved.' : 'Draft saved.');
      if (!post) void navigate(`/admin/posts/${next.id}`, { replace: true });
    },
    onError: showError,
  });
  const publish = useMutation({
    mutationFn: async () => postsApi.publish((await save()).id),
    onSuccess: async (next) => {
      await refresh(next);
      toast.showSuccess('Published. Anyone can read it now.');
      if (!post) void navigate(`/admin/posts/${next.id}`, { replace: true });
    },
    onError: showError,
  });
  const unpublish = useMutation({
    mutationFn: () => postsApi.unpublish(post!.id),
    onSuccess: async (next) => {
      await refresh(next);
      toast.showSuccess('Withdrawn: it is a draft again.');
    },
    onError: showError,
  });
  const remove = useMutation({
    mutationFn: () => postsApi.remove(post!.id),
    onSuccess: async () => {
      queryClient.removeQueries({ queryKey: queryKeys.post(post!.id) });
      await queryClient.invalidateQueries({ queryKey: ['posts'] });
      toast.showSuccess('Post deleted.');
      void navigate('/admin/posts');
    },
    onError: (error) => {
      setDeleting(false);
      showError(error);
    },
  });

  const uploadImage = useMutation({
    mutationFn: (file: File) => postsApi.uploadImage(file),
    onSuccess: (image) => {
      // Where the cursor was, or at the end: `![name](/media/…)`, shown by the preview and the post.
      const snippet = `![${image.filename.replace(/\.\w+$/, '')}](${image.url})`;
      const cursor = textRef.current?.selectionStart;
      setForm((current) => {
        const at = cursor ?? current.bodyMarkdown.length;
        return { ...current, bodyMarkdown: `${current.bodyMarkdown.slice(0, at)}${snippet}${current.bodyMarkdown.slice(at)}` };
      });
      toast.showSuccess(`${image.filename} uploaded and inserted.`);
    },
    onError: (error) => toast.showError(describeError(error)),
  });
  const chooseImage = (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    event.target.value = ''; // choosing the same file again is a new choice
    if (!file) return;
    if (!(IMAGE_UPLOAD.types as readonly string[]).includes(file.type)) toast.showError('Choose a PNG, JPEG, GIF or WebP image.');
    else if (file.size > IMAGE_UPLOAD.maxBytes) toast.showError(`${file.name} is larger than 5 MB.`);
    else uploadImage.mutate(file);
  };

  const update = (key: keyof PostForm, value: string) =>
    setForm((current) => ({ ...current, [key]: value, ...(key === 'title' && !isSlugEdited ? { slug: slugFromTitle(value) } : {}) }));
  const isBusy = saveDraft.isPending || publish.isPending || unpublish.isPending || remove.isPending;
  const isPublished = post?.status === 'published';

  return (
    <div className="page">
      <PageHeader
        back={{ to: '/admin/posts', label: 'All posts' }}
        title={post ? post.title : 'New post'}
        description={post ? <PostStatusBadge status={post.status} /> : 'It stays a draft, seen only by administrators, until you publish it.'}
        actions={
          isPublished ? (
            <ButtonLink to={postPath(post)} icon={<ExternalIcon />}>
              View
            </ButtonLink>
          ) : null
        }
      />
      <form
        className="post-editor"
        noValidate
        onSubmit={(event: FormEvent) => {
          event.preventDefault();
          saveDraft.mutate();
        }}
      >
        <FormError message={formError} />
        <div className="post-editor-fields">
          <Field label="Title" error={fieldErrors.title}>
            {(control) => <Input {...control} value={form.title} maxLength={200} required onChange={(event) => update('title', event.target.value)} />}
          </Field>
          <Field label="Address" hint={`Read at /${form.kind}/${form.slug || '…'}`} error={fieldErrors.slug}>
            {(control) => (
              <Input
                {...control}
                isMono
                value={form.slug}
                maxLength={80}
                required
                onChange={(event) => {
                  setSlugEdited(true);
                  update('slug', event.target.value);
                }}
              />
            )}
          </Field>
          <Field label="Kind" hint={post ? 'Fixed once the post exists.' : undefined}>
            {(control) => (
              <Select {...control} value={form.kind} disabled={Boolean(post)} onChange={(event) => update('kind', event.target.value)}>
                <option value="blog">Blog</option>
                <option value="changelog">Changelog</option>
              </Select>
            )}
          </Field>
        </div>
        <Field label="Summary" isOptional hint="One or two sentences for lists and feeds." error={fieldErrors.summary}>
          {(control) => <Input {...control} value={form.summary} maxLength={500} onChange={(event) => update('summary', event.target.value)} />}
        </Field>
        <Tabs
          label="Text"
          tabs={[
            { id: 'write', label: 'Write' },
            { id: 'preview', label: 'Preview' },
          ]}
          selected={tab}
          onSelect={setTab}
        >
          {tab === 'write' ? (
            <>
              <Field label="Text (markdown)" hint="Headings, lists, links, code, tables. HTML is shown as text. Images from other sites are not shown (the dashboard loads images from this instance only): upload them." error={fieldErrors.bodyMarkdown}>
                {(control) => <Textarea {...control} ref={textRef} isMono rows={18} value={form.bodyMarkdown} onChange={(event) => update('bodyMarkdown', event.target.value)} />}
              </Field>
              <div className="row">
                <input ref={fileRef} type="file" accept={IMAGE_UPLOAD.types.join(',')} hidden aria-label="Image file" onChange={chooseImage} />
                <Button size="sm" icon={<UploadIcon />} isLoading={uploadImage.isPending} onClick={() => fileRef.current?.click()}>
                  Insert image
                </Button>
                <span className="subtle">PNG, JPEG, GIF or WebP, up to 5 MB.</span>
              </div>
            </>
          ) : preview.isPending ? (
            <LoadingBlock label="Rendering…" />
          ) : preview.isError ? (
            <ErrorState error={preview.error} onRetry={() => void preview.refetch()} />
          ) : (
            // Rendered by the server with raw HTML escaped and unsafe links refused (modules/content).
            <div className="post-body post-preview" dangerouslySetInnerHTML={{ __html: preview.data.bodyHtml }} />
          )}
        </Tabs>
        <div className="row post-editor-actions">
          <Button type="submit" icon={<SaveIcon />} isLoading={saveDraft.isPending} disabled={isBusy || (Boolean(post) && !isDirty)}>
            {post ? 'Save changes' : 'Save draft'}
          </Button>
          {isPublished ? (
            <Button isLoading={unpublish.isPending} disabled={isBusy} onClick={() => unpublish.mutate()}>
              Withdraw
            </Button>
          ) : (
            <Button variant="primary" icon={<RocketIcon />} isLoading={publish.isPending} disabled={isBusy} onClick={() => publish.mutate()}>
              {isDirty ? 'Save and publish' : 'Publish'}
            </Button>
          )}
          <span className="grow" />
          {post ? (
            <Button variant="danger" icon={<TrashIcon />} disabled={isBusy} onClick={() => setDeleting(true)}>
              Delete
            </Button>
          ) : null}
        </div>
      </form>
      <Dialog
        isOpen={isDeleting}
        title="Delete this post?"
        onClose={() => setDeleting(false)}
        footer={
          <>
            <Button onClick={() => setDeleting(false)}>Keep it</Button>
            <Button variant="danger" isLoading={remove.isPending} onClick={() => remove.mutate()}>
              Delete for good
            </Button>
          </>
        }
      >
        <p>
          “{post?.title}” will be gone from the dashboard{isPublished ? ', the public pages and the feed' : ''}. This cannot be undone; withdrawing it keeps it as a draft instead.
        </p>
      </Dialog>
    </div>
  );
}
